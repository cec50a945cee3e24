/**
 * Every recycler screen at every panel size the kiosk ships on, in Chromium against the demo kiosk: attract,
 * attract with a full glass bin (availability in words), the QR login, a session with an accepted and a
 * rejected item, the "are you still there?" prompt, the end screen with a guest's claim QR, and the
 * out-of-service screen. At each size the page must not scroll or overflow, every visible control must lie
 * inside the viewport and be at least 48 × 48 px, and axe-core must find no WCAG A/AA violation (colour contrast
 * above all; `meta-viewport` is off: a kiosk disables pinch zoom on purpose).
 * Screenshots go to test-output/layout/<size>-<screen>.png. One kiosk; the page is resized per size.
 */
import { mkdirSync } from 'node:fs';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionConfig } from '../../src/app/config-schema.js';
import { chromiumPath } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { openKioskInBrowser, type TestKiosk } from '../helpers/kiosk.js';
import { layoutProblems, type PageGlobals } from './recycler-page-checks.js';

const SIZES = [
  { name: '1024x600', width: 1024, height: 600 },
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1080x1920', width: 1080, height: 1920 },
] as const;
/** English is longer than Bahasa Indonesia in places: each screen is also checked in English on the smallest panel. */
const ENGLISH_SIZE = SIZES[0];
const OUT_DIR = 'test-output/layout';

interface Finding {
  screen: string;
  size: string;
  problem: string;
}

describe.skipIf(!chromiumPath)('recycler screens fit every panel', () => {
  let kiosk: TestKiosk;
  let page: Page;
  let stop: () => Promise<void>;
  const findings: Finding[] = [];
  const visited: string[] = [];
  let contrastViolations = 0;

  /** Check one screen at every size (and in English on the smallest), with a screenshot of each. */
  async function visit(screen: string, testId: string, options: { keepAlive?: boolean } = {}): Promise<void> {
    const runs = [...SIZES.map((size) => ({ size, language: 'id' as const })), { size: ENGLISH_SIZE, language: 'en' as const }];
    for (const { size, language } of runs) {
      if (options.keepAlive) await kiosk.kiosk.core.call('session.continue', {}); // a touch: no idle timeout mid-check
      if (kiosk.kiosk.core.current('system.language')?.language !== language) {
        await kiosk.kiosk.core.call('system.setLanguage', { language });
        const toggleText = language === 'id' ? 'English' : 'Bahasa Indonesia'; // the toggle names the other language
        await eventually(async () => (await page.getByTestId('language-toggle').first().textContent()) === toggleText, { what: `the screen in ${language}` });
      }
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.getByTestId(testId).waitFor().catch(async (err: unknown) => {
        await page.screenshot({ path: `${OUT_DIR}/missing-${size.name}-${language}-${screen}.png` });
        throw err;
      });
      // Two frames: the resize has been laid out and painted before anything is measured.
      await page.evaluate(() => new Promise<void>((resolve) => {
        const { requestAnimationFrame } = globalThis as unknown as PageGlobals;
        requestAnimationFrame(() => requestAnimationFrame(resolve));
      }));
      const label = language === 'id' ? size.name : `${size.name}-en`;
      for (const problem of await page.evaluate(layoutProblems)) findings.push({ screen, size: label, problem });
      const result = await page.evaluate(() => (globalThis as unknown as PageGlobals).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, rules: { 'meta-viewport': { enabled: false } } }));
      for (const violation of result.violations) {
        if (violation.id === 'color-contrast') contrastViolations += violation.nodes.length;
        for (const node of violation.nodes) findings.push({ screen, size: label, problem: `axe ${violation.id}: ${node.target.join(' ')} — ${node.failureSummary ?? ''}` });
      }
      await page.screenshot({ path: `${OUT_DIR}/${label}-${screen}.png` });
      visited.push(`${label}-${screen}`);
    }
    await kiosk.kiosk.core.call('system.setLanguage', { language: 'id' });
  }

  const core = () => kiosk.kiosk.core;
  const session = () => core().current('session.state')!;

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    // Short enough that the still-there prompt comes within seconds of the last touch, long enough for the checks.
    ({ kiosk, page, stop } = await openKioskInBrowser({ session: sessionConfig.parse({ activeIdleMs: 45_000, stillTherePromptMs: 35_000, finishedMs: 120_000 }) }));
    await page.evaluate(axe.source); // through the debugger protocol: the kiosk's CSP allows no inline script
  });

  afterAll(async () => {
    await stop?.();
  });

  /** Each step's screens must be clean; the findings name the screen, the size and what is wrong. */
  function expectClean(screen: string): void {
    expect(findings.filter((f) => f.screen === screen)).toEqual([]);
  }

  it('attract, and attract with a full glass bin saying what is still taken', async () => {
    await eventually(() => core().current('system.status')?.state === 'ready', { what: 'the machine ready', timeoutMs: 15_000 });
    await visit('attract', 'attract-screen');
    expectClean('attract');

    await core().call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });
    await page.getByTestId('availability-notice').waitFor({ timeout: 15_000 });
    await visit('attract-glass-full', 'availability-notice');
    expectClean('attract-glass-full');
  });

  it('the QR login', async () => {
    await page.getByTestId('start-button').click();
    await page.getByTestId('login-qr').waitFor({ timeout: 15_000 });
    await visit('login-qr', 'login-qr');
    expectClean('login-qr');
  });

  it('a session with the glass notice, then an accepted and a rejected item', async () => {
    await page.getByTestId('guest-button').click();
    await page.getByTestId('session-screen').waitFor();
    await visit('session-glass-full', 'availability-notice', { keepAlive: true });
    await core().call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass', active: false });
    await eventually(async () => (await page.getByTestId('availability-notice').count()) === 0, { what: 'the glass notice gone', timeoutMs: 15_000 });

    await page.getByTestId('demo-insert-cup').click();
    await eventually(() => session().items.length === 1 && session().phase === 'active', { what: 'the cup decided', timeoutMs: 20_000 });
    await visit('session-accepted', 'last-item', { keepAlive: true });

    await page.getByTestId('demo-insert-cat').click();
    await eventually(() => session().items.length === 2 && session().phase === 'active', { what: 'the cat decided', timeoutMs: 20_000 });
    await visit('session-rejected', 'last-item', { keepAlive: true });
    for (const screen of ['session-glass-full', 'session-accepted', 'session-rejected']) expectClean(screen);
  });

  it('the still-there prompt', async () => {
    // No touch from here: the prompt shows once promptAt has passed.
    await page.getByTestId('still-there').waitFor({ timeout: 30_000 });
    await visit('still-there', 'still-there');
    await page.getByTestId('continue-button').click();
    await eventually(async () => (await page.getByTestId('still-there').count()) === 0, { what: 'the prompt gone' });
    expectClean('still-there');
  });

  it('the end screen with the guest claim QR', async () => {
    await page.getByTestId('finish-button').click();
    await page.getByTestId('claim-qr').waitFor({ timeout: 15_000 });
    await visit('finished-claim', 'claim-qr');
    await page.getByTestId('again-button').click();
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('attract-screen').waitFor();
    expectClean('finished-claim');
  });

  it('out of service when no bin can take anything', async () => {
    for (const bin of ['plastic', 'can', 'glass'] as const) await core().call('hardware.simulateFault', { fault: 'bin_full', bin });
    try {
      await page.getByTestId('out-of-service-screen').waitFor({ timeout: 15_000 });
      await visit('out-of-service', 'out-of-service-screen');
    } finally {
      for (const bin of ['plastic', 'can', 'glass'] as const) await core().call('hardware.simulateFault', { fault: 'bin_full', bin, active: false });
    }
    expectClean('out-of-service');
  });

  it('visited 9 screens × 5 (4 sizes, and English on the smallest) with no contrast violation', () => {
    console.info(`layout: ${visited.length} screen/size visits, ${contrastViolations} colour-contrast violations, ${findings.length} findings`);
    expect(contrastViolations).toBe(0);
    expect(visited).toHaveLength(9 * 5);
  });
});

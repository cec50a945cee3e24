/**
 * No English reaches a recycler while the screen is in Bahasa Indonesia. The test collects the core's own
 * English (status reason and notice details, refused commands' messages) as it provokes them, plus every
 * English-only UI string (assets/i18n/en/*.json values with no Indonesian twin), then walks the recycler's
 * screens in Chromium in `id` — attract with a full glass bin, login, a session with an accepted and a
 * rejected item and a refused tap, the end screen with a claim and a donation, out of service — and fails if
 * any of those strings is on screen.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalOf } from '../../src/contract/errors.js';
import { sessionConfig } from '../../src/app/config-schema.js';
import { chromiumPath } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { openKioskInBrowser, type TestKiosk } from '../helpers/kiosk.js';

const AREAS = ['recycler', 'codes', 'maintenance'] as const;
const table = (language: 'id' | 'en'): Record<string, string> =>
  Object.assign({}, ...AREAS.map((area) => JSON.parse(readFileSync(`assets/i18n/${language}/${area}.json`, 'utf8')) as Record<string, string>));

/** The longest literal piece of an English UI string (placeholders cut out), if it is long enough to mean something. */
function englishFragments(): string[] {
  const id = table('id');
  const idValues = new Set(Object.values(id));
  const fragments = new Set<string>();
  for (const [key, value] of Object.entries(table('en'))) {
    if (value === id[key] || idValues.has(value)) continue; // the same in both languages (e.g. "OK")
    const longest = value.split(/\{\w+\}/).map((part) => part.trim()).sort((a, b) => b.length - a.length)[0] ?? '';
    if (longest.length >= 6) fragments.add(longest);
  }
  return [...fragments];
}

describe.skipIf(!chromiumPath)('the recycler sees no English from the core while in Bahasa Indonesia', () => {
  let kiosk: TestKiosk;
  let page: Page;
  let stop: () => Promise<void>;
  /** The core's English, collected as the test provokes it. */
  const coreEnglish = new Set<string>();
  const seen: Array<{ step: string; text: string }> = [];

  const core = () => kiosk.kiosk.core;
  const collectStatus = () => {
    const status = core().current('system.status');
    for (const entry of [...(status?.reasons ?? []), ...(status?.notices ?? [])]) if (entry.detail) coreEnglish.add(entry.detail);
  };
  /** Calls a command the core refuses and keeps its English message. */
  const refused = async (call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (err) {
      // The detail, and its sentence without a leading "code:" (the UI could show either).
      const { detail } = refusalOf(err);
      for (const text of [detail, detail.replace(/^\w+: /, '')]) if (text.length >= 6) coreEnglish.add(text);
    }
  };
  const look = async (step: string) => {
    collectStatus();
    seen.push({ step, text: await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText) });
  };

  beforeAll(async () => {
    ({ kiosk, page, stop } = await openKioskInBrowser({ session: sessionConfig.parse({ finishedMs: 60_000 }) }));
  });

  afterAll(async () => {
    await stop?.();
  });

  it('walks the recycler screens in Bahasa Indonesia', async () => {
    await eventually(() => core().current('system.status')?.state === 'ready', { what: 'the machine ready', timeoutMs: 15_000 });
    expect(core().current('system.language')?.language).toBe('id');
    await look('attract');

    await core().call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });
    await page.getByTestId('availability-notice').waitFor({ timeout: 15_000 });
    await look('attract, glass full');

    await page.getByTestId('start-button').click();
    await page.getByTestId('login-screen').waitFor();
    await refused(() => core().call('session.donate', {}));
    await look('login');

    await page.getByTestId('guest-button').click();
    await page.getByTestId('session-screen').waitFor();
    await look('session, glass full');
    await core().call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass', active: false });

    await page.getByTestId('demo-insert-cup').click();
    await eventually(() => core().current('session.state')!.items.length === 1, { what: 'the cup decided', timeoutMs: 20_000 });
    await look('session, accepted');

    // A second item while the first is in the intake: the core refuses it with an English message.
    await page.getByTestId('demo-insert-cat').click();
    await refused(() => core().call('hardware.simulateInsert', { kind: 'can' }));
    await eventually(() => core().current('session.state')!.items.length === 2, { what: 'the cat decided', timeoutMs: 20_000 });
    await look('session, rejected');

    await eventually(() => core().current('session.state')!.phase === 'active', { what: 'the session taking items again', timeoutMs: 20_000 });
    await page.getByTestId('finish-button').click();
    await page.getByTestId('finished-screen').waitFor();
    await look('finished');
    const donate = page.getByTestId('donate-button');
    if (await donate.count()) {
      await donate.click();
      await page.getByTestId('claim-donated').waitFor();
      await look('finished, donated');
    }

    await page.getByTestId('again-button').click();
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('attract-screen').waitFor();
    for (const bin of ['plastic', 'can', 'glass'] as const) await core().call('hardware.simulateFault', { fault: 'bin_full', bin });
    await page.getByTestId('out-of-service-screen').waitFor({ timeout: 15_000 });
    await look('out of service');
    await core().call('hardware.simulateFault', { fault: 'jam' });
    await eventually(() => (core().current('system.status')?.reasons.length ?? 0) >= 1, { what: 'a fault reason' });
    await look('out of service, jam');
    await core().call('hardware.simulateFault', { fault: 'jam', active: false });
    for (const bin of ['plastic', 'can', 'glass'] as const) await core().call('hardware.simulateFault', { fault: 'bin_full', bin, active: false });
  });

  it('showed none of the core\'s English and no English-only UI string', () => {
    // The walk provoked English from the core: otherwise this test would prove nothing.
    console.info(`core English collected: ${JSON.stringify([...coreEnglish])}`);
    expect(coreEnglish.size).toBeGreaterThan(0);
    const english = [...coreEnglish, ...englishFragments()];
    const leaks = seen.flatMap(({ step, text }) => english.filter((phrase) => text.includes(phrase)).map((phrase) => `${step}: "${phrase}"`));
    expect(leaks).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(7);
  });
});

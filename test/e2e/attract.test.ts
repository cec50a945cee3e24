/**
 * The whole kiosk in a real browser: demo-mode core → browser host → Debian's Chromium. Checks the clock,
 * the language toggle, the accepted materials with their icons, no public technician button, the start button, and saves a screenshot under test-output/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { openKioskInBrowser, type TestKiosk } from '../helpers/kiosk.js';

describe.skipIf(!chromiumPath)('kiosk in Chromium through the browser host', () => {
  let kiosk: TestKiosk;
  let page: Page;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ kiosk, page, stop } = await openKioskInBrowser({ timezone: 'Asia/Makassar' }));
  });

  afterAll(async () => {
    await stop?.();
  });

  it('shows the attract screen with the local time in the machine zone', async () => {
    await page.getByTestId('attract-screen').waitFor();
    await eventually(async () => (await page.getByTestId('machine-status').getAttribute('data-state')) === 'ready', { what: 'the machine ready' });
    const shown = await page.getByTestId('clock-time').textContent();
    const expected = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Makassar', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date());
    expect(shown).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    // Compare hours and minutes; allow the minute to roll over between the two reads.
    const [h, m] = shown!.split(':').map(Number);
    const [eh, em] = expected.split(':').map(Number);
    expect(Math.abs(h! * 60 + m! - (eh! * 60 + em!)) % (24 * 60)).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('clock-zone').textContent()).toContain('Asia/Makassar (WITA)');
  });

  it('toggles between Bahasa Indonesia and English', async () => {
    expect(await page.getByTestId('start-button').textContent()).toBe('Mulai');
    expect(await page.getByTestId('material-pet').textContent()).toBe('Botol plastik');
    await page.getByTestId('language-toggle').click();
    await eventually(async () => (await page.getByTestId('start-button').textContent()) === 'Start', { what: 'the button in English' });
    expect(await page.getByTestId('material-pet').textContent()).toBe('Plastic bottle');
    await eventually(() => kiosk.kiosk.core.current('system.language')?.language === 'en', { what: 'the core told' });
    await page.getByTestId('language-toggle').click();
    await eventually(async () => (await page.getByTestId('start-button').textContent()) === 'Mulai', { what: 'the button in Bahasa Indonesia' });
  });

  it('shows what it takes with an icon per material, and no technician button for passers-by', async () => {
    for (const id of ['pet', 'can', 'glass']) {
      expect(await page.getByTestId(`material-${id}`).locator('img').getAttribute('src')).toMatch(/\.svg$|^data:image\/svg/);
    }
    expect(await page.getByTestId('technician-button').count()).toBe(0);
    expect(await page.getByRole('button').allTextContents()).not.toContain('Teknisi');
  });

  it('taps start and moves to the login screen, then saves a screenshot', async () => {
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/attract.png' });
    await page.getByTestId('start-button').click();
    await page.getByTestId('login-screen').waitFor();
    await page.getByTestId('login-qr').waitFor();
    expect(kiosk.kiosk.core.current('session.state')?.phase).toBe('waiting_login');
    await page.screenshot({ path: 'test-output/login.png' });
  });
});

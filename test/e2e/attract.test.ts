/**
 * The whole kiosk in a real browser: demo-mode core → browser host → Debian's Chromium. Checks the clock,
 * the language toggle and the start button, and saves a screenshot under test-output/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/browser.js';
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
    await expect.poll(() => page.getByTestId('machine-status').getAttribute('data-state')).toBe('ready');
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
    await page.getByTestId('language-toggle').click();
    await expect.poll(() => page.getByTestId('start-button').textContent()).toBe('Start');
    await expect.poll(() => kiosk.kiosk.core.current('system.language')?.language).toBe('en');
    await page.getByTestId('language-toggle').click();
    await expect.poll(() => page.getByTestId('start-button').textContent()).toBe('Mulai');
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

/**
 * A recycler's whole visit in Chromium, against the demo-mode kiosk: real serial over a pty to the simulated
 * controller, real inference on the demo photos, the outbox on disk and the server simulator on loopback.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/browser.js';
import { openKioskInBrowser, type TestKiosk } from '../helpers/kiosk.js';

describe.skipIf(!chromiumPath)('recycling in the demo kiosk', () => {
  let kiosk: TestKiosk;
  let page: Page;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ kiosk, page, stop } = await openKioskInBrowser());
  });

  afterAll(async () => {
    await stop?.();
  });

  it('logs in by QR from the (simulated) phone', async () => {
    await expect.poll(() => page.getByTestId('machine-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
    await page.getByTestId('start-button').click();
    await page.getByTestId('login-qr').waitFor();
    await page.getByTestId('demo-phone-login').click();
    await page.getByTestId('session-screen').waitFor();
    expect(kiosk.kiosk.core.current('session.state')).toMatchObject({ phase: 'active', mode: 'member' });
    await page.getByTestId('finish-button').click();
    await page.getByTestId('finished-screen').waitFor();
  });

  it('accepts a cup as glass, credits it durably, rejects a cat with its reason, and totals the points', async () => {
    await page.getByTestId('finished-screen').getByRole('button').click();
    await page.getByTestId('guest-button').click();
    await page.getByTestId('session-screen').waitFor();

    await page.getByTestId('demo-insert-cup').click();
    await expect.poll(() => page.getByTestId('last-item').textContent(), { timeout: 20_000 }).toContain('Kaca +5');
    expect(await page.getByTestId('session-points').textContent()).toContain('5');
    const credited = kiosk.kiosk.core.current('session.state')!.items[0]!;
    // Durable before the screen said so: the outbox counts it, and it reaches the server with its client id.
    await expect.poll(() => kiosk.kiosk.core.current('outbox.state')?.pushed, { timeout: 20_000 }).toBe(1);

    await expect.poll(() => page.getByTestId('demo-insert-cat').isEnabled()).toBe(true);
    await page.getByTestId('demo-insert-cat').click();
    await expect.poll(() => page.getByTestId('last-item').textContent(), { timeout: 20_000 }).toContain('Bukan botol atau kaleng');
    expect(await page.getByTestId('items-accepted').textContent()).toContain('1');
    expect(await page.getByTestId('item-list').locator('li').allTextContents()).toEqual(['Bukan botol atau kaleng', 'Kaca +5']);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/session.png' });

    await page.getByTestId('finish-button').click();
    await page.getByTestId('finished-screen').waitFor();
    expect(await page.getByTestId('finished-total').textContent()).toContain('5');
    expect(credited).toMatchObject({ accepted: true, material: 'glass', points: 5 });
  });

  it('shows the machine out of service when a bin is full, and back when it is emptied', async () => {
    await kiosk.kiosk.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });
    await expect.poll(() => page.getByTestId('machine-status').textContent(), { timeout: 15_000 }).toContain('Tempat penampungan penuh');
    await page.getByTestId('attract-screen').waitFor();
    expect(await page.getByTestId('start-button').isDisabled()).toBe(true);
    await kiosk.kiosk.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass', active: false });
    await expect.poll(() => page.getByTestId('machine-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
  });
});

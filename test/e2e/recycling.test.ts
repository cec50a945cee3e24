/**
 * A recycler's whole visit in Chromium, against the demo-mode kiosk: real serial over a pty to the simulated
 * controller, real inference on the demo photos, the outbox on disk and the server simulator on loopback.
 * Covers the guidance (insert cue, result with outcome and points, tally per material), the guest's claim
 * code and donation, a full glass bin refusing only glass, and the full-screen out-of-service view.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
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
    await eventually(async () => (await page.getByTestId('machine-status').getAttribute('data-state')) === 'ready', { what: 'the machine ready', timeoutMs: 15_000 });
    await page.getByTestId('start-button').click();
    await page.getByTestId('login-qr').waitFor();
    await page.getByTestId('demo-phone-login').click();
    await page.getByTestId('session-screen').waitFor();
    expect(kiosk.kiosk.core.current('session.state')).toMatchObject({ phase: 'active', mode: 'member' });
    await page.getByTestId('finish-button').click();
    await page.getByTestId('finished-screen').waitFor();
  });

  it('accepts a cup as glass, credits it durably, rejects a cat with its outcome, and totals the points per material', async () => {
    await page.getByTestId('again-button').click();
    await page.getByTestId('guest-button').click();
    await page.getByTestId('session-screen').waitFor();
    await page.getByTestId('insert-cue').waitFor();

    await page.getByTestId('demo-insert-cup').click();
    await eventually(async () => (await page.getByTestId('last-item-text').textContent()) === 'Kaca', { what: 'the cup shown as glass', timeoutMs: 20_000 });
    expect(await page.getByTestId('last-item-points').textContent()).toBe('+5');
    expect(await page.getByTestId('last-item').getAttribute('data-outcome')).toBe('accepted');
    expect(await page.getByTestId('session-points').textContent()).toContain('5');
    expect(await page.getByTestId('tally-glass').textContent()).toBe('1 barang · 5 poin');
    expect(await page.getByTestId('tally-pet').textContent()).toBe('0 barang · 0 poin');
    const credited = kiosk.kiosk.core.current('session.state')!.items[0]!;
    // Durable before the screen said so: the outbox counts it, and it reaches the server with its client id.
    await eventually(() => kiosk.kiosk.core.current('outbox.state')?.pushed === 1, { what: 'the credit pushed', timeoutMs: 20_000 });

    await eventually(() => page.getByTestId('demo-insert-cat').isEnabled(), { what: 'the next insert allowed' });
    await page.getByTestId('demo-insert-cat').click();
    await eventually(async () => (await page.getByTestId('last-item').getAttribute('data-outcome')) === 'not_a_container', { what: 'the cat rejected', timeoutMs: 20_000 });
    const rejected = kiosk.kiosk.core.current('session.state')!.items[1]!;
    expect(rejected).toMatchObject({ accepted: false, outcome: 'not_a_container' });
    expect(await page.getByTestId('last-item-text').textContent()).toMatch(/bukan botol atau kaleng/i);
    // Handed back: the screen asks for it to be taken (at least a few seconds, then while the intake sees it).
    expect(rejected.returned).toBe(true);
    expect(await page.getByTestId('take-back').textContent()).toBe('Ambil kembali barang Anda');
    expect(await page.getByTestId('items-accepted').textContent()).toContain('1');
    expect(await page.getByTestId('item-list').locator('li').allTextContents()).toEqual(['Kaca +5']);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/session.png' });

    await page.getByTestId('finish-button').click();
    await page.getByTestId('finished-screen').waitFor();
    expect(await page.getByTestId('finished-total').textContent()).toContain('5');
    expect(await page.getByTestId('tally-glass').textContent()).toBe('1 barang · 5 poin');
    expect(credited).toMatchObject({ accepted: true, outcome: 'accepted', material: 'glass', points: 5 });
  });

  it('gives a guest a claim QR with the code in text, and a donation instead', async () => {
    const { claimCode } = kiosk.kiosk.core.current('session.state')!;
    expect(claimCode).toBeTruthy();
    await page.getByTestId('claim-qr').waitFor();
    expect(await page.getByTestId('claim-code').textContent()).toBe(`Kode: ${claimCode}`);
    await page.getByTestId('donate-button').click();
    await page.getByTestId('claim-donated').waitFor();
    expect(await page.getByTestId('claim-qr').count()).toBe(0);
    expect(kiosk.kiosk.core.current('session.state')?.donated).toBe(true);
  });

  it('refuses only glass when the glass bin is full, in words, and keeps the machine usable', async () => {
    await page.getByTestId('again-button').click();
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('attract-screen').waitFor();
    await kiosk.kiosk.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });
    await eventually(async () => (await page.getByTestId('availability-notice').count()) === 1, { what: 'the glass notice', timeoutMs: 15_000 });
    expect(await page.getByTestId('availability-notice').textContent()).toBe('Kaca sedang penuh — botol plastik dan kaleng tetap diterima');
    expect(await page.getByTestId('material-glass').getAttribute('data-accepting')).toBe('false');
    expect(await page.getByTestId('material-pet').getAttribute('data-accepting')).toBe('true');
    expect(await page.getByTestId('start-button').isEnabled()).toBe(true);
    await kiosk.kiosk.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass', active: false });
    await eventually(async () => (await page.getByTestId('availability-notice').count()) === 0, { what: 'the notice gone', timeoutMs: 15_000 });
  });

  it('goes out of service full-screen, in words, when no bin can take anything, and back when emptied', async () => {
    for (const bin of ['plastic', 'can', 'glass'] as const) await kiosk.kiosk.core.call('hardware.simulateFault', { fault: 'bin_full', bin });
    await page.getByTestId('out-of-service-screen').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('out-of-service-todo').textContent()).toContain('hubungi petugas');
    for (const bin of ['plastic', 'can', 'glass'] as const) await kiosk.kiosk.core.call('hardware.simulateFault', { fault: 'bin_full', bin, active: false });
    await page.getByTestId('attract-screen').waitFor({ timeout: 15_000 });
    await eventually(async () => (await page.getByTestId('machine-status').getAttribute('data-state')) === 'ready', { what: 'ready again', timeoutMs: 15_000 });
  });
});

/**
 * Maintenance mode in a real browser: demo-mode core (machine and server simulators) → browser host →
 * Debian's Chromium. The way in is a 3 s press on the attract screen's top-left corner (a tap does nothing);
 * the PIN pad fits a 1024×600 panel and gives the screen back after 30 s without a key press — both timed on
 * Playwright's fake page clock, so nothing waits in real time. A wrong PIN shows the attempts left; the simulator's PIN (set through the config,
 * `server.simulator.pin`, exactly as an installer could) opens the maintenance screen, whose panels show the
 * live link and outbox; a hardware ping answers OK; Exit returns to the attract screen.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverConfig } from '../../src/server/config.js';
import { chromiumPath } from '../helpers/browser.js';
import { openKioskInBrowser, type TestKiosk } from '../helpers/kiosk.js';

const PIN = String(randomInt(100_000, 1_000_000));
const WRONG_PIN = PIN === '111111' ? '222222' : '111111';

/** Hold the mouse on the technician corner for `ms` of page time, then let go. */
async function holdCorner(page: Page, ms: number): Promise<void> {
  const box = await page.getByTestId('technician-corner').boundingBox();
  if (!box) throw new Error('no technician corner on this screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.clock.fastForward(ms);
  await page.mouse.up();
}

/** Everything the renderer had queued has run (a round trip through the page's task queue). */
const settled = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => queueMicrotask(resolve)));

async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByTestId(`pin-${digit}`).click();
  await page.getByTestId('pin-ok').click();
}

describe.skipIf(!chromiumPath)('maintenance mode in Chromium through the browser host', () => {
  let kiosk: TestKiosk;
  let page: Page;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ kiosk, page, stop } = await openKioskInBrowser({ timezone: 'Asia/Jakarta', server: serverConfig.parse({ simulator: { pin: PIN } }) }));
    // The page's timers on a clock the test moves (it still runs on by itself in between).
    await page.clock.install();
    await page.reload();
    await page.getByTestId('attract-screen').waitFor();
  });

  afterAll(async () => {
    await stop?.();
  });

  it('shows no technician button; a short press on the corner does nothing, a 3 s press opens the PIN pad', async () => {
    expect(await page.getByTestId('technician-button').count()).toBe(0);
    await holdCorner(page, 1_000);
    await page.clock.fastForward(10_000);
    await settled(page);
    expect(await page.getByTestId('pin-screen').count()).toBe(0);
    expect(await page.getByTestId('attract-screen').isVisible()).toBe(true);
    await holdCorner(page, 3_100);
    await page.getByTestId('pin-screen').waitFor();
  });

  it('fits the PIN pad on a 1024×600 panel with keys of at least 48 px', async () => {
    await page.setViewportSize({ width: 1024, height: 600 });
    try {
      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: 'test-output/maintenance-pin-1024x600.png' });
      for (const id of ['pin-back', 'pin-ok', 'pin-clear', 'pin-0', 'pin-1', 'pin-9']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.x, id).toBeGreaterThanOrEqual(0);
        expect(box!.y, id).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, id).toBeLessThanOrEqual(1024);
        expect(box!.y + box!.height, id).toBeLessThanOrEqual(600);
        expect(Math.min(box!.width, box!.height), id).toBeGreaterThanOrEqual(48);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('goes back to attract after 30 s without a key press; a key press starts the 30 s over', async () => {
    await page.clock.fastForward(25_000);
    await page.getByTestId('pin-1').click();
    await page.clock.fastForward(25_000);
    await settled(page);
    expect(await page.getByTestId('pin-screen').isVisible()).toBe(true);
    await page.clock.fastForward(5_100);
    await page.getByTestId('attract-screen').waitFor();
    expect(await page.getByTestId('pin-screen').count()).toBe(0);
  });

  it('refuses a wrong PIN and shows how many attempts are left', async () => {
    await holdCorner(page, 3_100);
    await page.getByTestId('pin-screen').waitFor();
    await typePin(page, WRONG_PIN);
    await expect.poll(() => page.getByTestId('pin-message').textContent()).toContain('PIN salah');
    const left = kiosk.kiosk.core.current('maintenance.state')?.remainingAttempts;
    expect(left).toBeGreaterThan(0);
    expect(await page.getByTestId('pin-message').textContent()).toContain(`Sisa percobaan: ${left}`);
    expect(kiosk.kiosk.core.current('system.status')?.state).not.toBe('maintenance');
    expect(await page.getByTestId('pin-1').isEnabled()).toBe(true);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/maintenance-pin.png' });
  });

  it('opens the maintenance screen with the right PIN and shows the live link and outbox', async () => {
    await typePin(page, PIN);
    await page.getByTestId('maintenance-screen').waitFor();
    expect(kiosk.kiosk.core.current('system.status')?.state).toBe('maintenance');
    expect(await page.getByTestId('maintenance-technician').textContent()).toContain('Teknisi Demo');
    await expect.poll(() => page.getByTestId('maintenance-auto-exit').textContent()).toMatch(/\d+:\d{2}/);
    await expect.poll(() => page.getByTestId('server-link').getAttribute('data-state')).toBe('online');
    expect(await page.getByTestId('outbox-pending').textContent()).toBe('0');
    expect(await page.getByTestId('maintenance-clock-zone').textContent()).toBe('Asia/Jakarta (WIB)');
    const uuid = kiosk.kiosk.core.current('server.state')?.machineUuid;
    expect(uuid).toBeTruthy();
    expect(await page.getByTestId('panel-server').textContent()).toContain(uuid!);
  });

  it('runs a hardware ping, a connection test and the request log', async () => {
    await page.getByTestId('hw-test-ping').click();
    await expect.poll(() => page.getByTestId('hw-test-result').textContent()).toMatch(/^Ping: OK/);

    // A test photo through the real model: the demo folder camera's next photo, classified on the spot.
    await kiosk.kiosk.core.call('detection.selectPhoto', { file: 'coffee.png' });
    await page.getByTestId('detection-test-capture').click();
    await expect.poll(() => page.getByTestId('detection-result').textContent(), { timeout: 20_000 }).toMatch(/Diterima: Kaca · cup 0\.5/);

    await page.getByTestId('server-test').click();
    await expect.poll(() => page.getByTestId('server-result').textContent()).toMatch(/^OK: /);

    await page.getByTestId('server-log').click();
    const table = page.getByTestId('server-log-table');
    await table.waitFor();
    // The connection test just made a handshake and a heartbeat: both are in the log the core keeps.
    const text = await table.textContent();
    expect(text).toContain('/api/v1/edge/handshake');
    expect(text).toContain('/api/v1/edge/heartbeat');

    await page.getByTestId('outbox-preview').click();
    await expect.poll(() => page.getByTestId('outbox-preview-table').textContent()).toBe('Tidak ada catatan yang tertunda');

    mkdirSync('test-output', { recursive: true });
    await page.getByTestId('maintenance-panels').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: 'test-output/maintenance.png' });
  });

  it('exits back to the attract screen', async () => {
    await page.getByTestId('maintenance-exit').click();
    await page.getByTestId('attract-screen').waitFor();
    await expect.poll(() => kiosk.kiosk.core.current('maintenance.state')?.active).toBe(false);
    expect(kiosk.kiosk.core.current('system.status')?.state).not.toBe('maintenance');
  });
});

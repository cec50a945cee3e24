/**
 * First run in a real browser, as an installer meets it: a kiosk with no credentials and its server set to the
 * server simulator's URL shows the setup screen instead of attract. A temporary folder holding the simulator's
 * rvm-credentials.json stands in for a USB drive (`usbExport.extraDirs`); a socat pty pair with the controller
 * simulator on one end is offered as a serial port (`setup.extraSerialPorts`). The installer imports the file,
 * tests the connection, picks and pings the port, sees the camera step, sets an installer PIN twice and finishes:
 * the attract screen follows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupConfig } from '../../src/app/first-run/setup-config.js';
import { serverConfig } from '../../src/server/config.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort, type RunningSimulator } from '../../src/hardware/simulator/port-runner.js';
import { INSTANT_TIMINGS } from '../../src/hardware/simulator/sim-settings.js';
import { socatAvailable, SocatPtyPair } from '../../src/hardware/transport/socat-pty.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { chromiumPath } from '../helpers/browser.js';
import { openKioskInBrowser, type KioskInBrowser } from '../helpers/kiosk.js';

const PIN = '538201';

describe.skipIf(!chromiumPath || !socatAvailable())('first-run setup in Chromium against the server simulator', () => {
  let sim: ServerSimulator;
  let pair: SocatPtyPair;
  let controller: RunningSimulator;
  let usbDir: string;
  let opened: KioskInBrowser;
  let page: Page;

  beforeAll(async () => {
    sim = await startServerSimulator({});
    usbDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-usb-'));
    writeFileSync(path.join(usbDir, 'rvm-credentials.json'), JSON.stringify(sim.credentials, null, 2));
    pair = await SocatPtyPair.create('rvm-test-pty-');
    controller = runSimulatorOnPort(new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, heartbeatMs: 100, timings: INSTANT_TIMINGS }), pair.devicePath);
    opened = await openKioskInBrowser(
      {
        // The kiosk's own default is demo mode; a remote server with no credentials is an unprovisioned machine.
        server: serverConfig.parse({ mode: 'remote', url: sim.url }),
        usbExport: { extraDirs: [usbDir] },
        setup: setupConfig.parse({ extraSerialPorts: [pair.hostPath] }),
      },
      { firstScreen: 'setup-screen' },
    );
    page = opened.page;
    await page.setViewportSize({ width: 1024, height: 600 });
  });

  afterAll(async () => {
    await opened?.stop();
    await controller?.stop();
    await pair?.dispose();
    await sim?.close();
    if (usbDir) rmSync(usbDir, { recursive: true, force: true });
  });

  it('imports the credentials from the folder standing in for a USB drive', async () => {
    mkdirSync('test-output', { recursive: true });
    expect(await page.getByTestId('attract-screen').count()).toBe(0);
    const file = page.getByTestId('setup-usb-file');
    await file.waitFor();
    expect(await file.textContent()).toContain('rvm-credentials.json');
    await fits(page, ['setup-usb-file', 'setup-type-instead', 'setup-next', 'setup-back', 'language-toggle']);
    // The on-screen keyboard, the other way in, fits the panel with the navigation still on screen.
    await page.getByTestId('setup-type-instead').click();
    await fits(page, ['setup-field-apiKey', 'osk-1', 'osk-~', 'osk-shift', 'osk-clear', 'setup-credentials-save', 'setup-usb-instead', 'setup-next']);
    await page.screenshot({ path: 'test-output/setup-keyboard-1024x600.png' });
    await page.getByTestId('setup-usb-instead').click();
    await file.click();
    await expectText(page, 'setup-credentials-status', sim.credentials.serial_number);
    await page.getByTestId('setup-next').click();
  });

  it('tests the connection and says it worked', async () => {
    await page.getByTestId('setup-connection-test').click();
    await page.locator('[data-testid="setup-connection-result"][data-result="ok"]').waitFor();
    expect(await page.getByTestId('setup-connection-result').textContent()).toBe('Terhubung: server menerima mesin ini.');
    await page.getByTestId('setup-next').click();
  });

  it('offers the simulated controller port and pings it', async () => {
    const port = page.locator(`[data-testid="setup-serial-port"][data-path="${pair.hostPath}"]`);
    await port.click();
    await page.locator('[data-testid="setup-serial-ping"][data-ping="ok"]').waitFor();
    await page.getByTestId('setup-next').click();
  });

  it('shows the camera step with a frame or the reason there is none', async () => {
    await page.locator('[data-testid="setup-camera-image"], [data-testid="setup-camera-error"]').first().waitFor();
    await page.getByTestId('setup-next').click();
  });

  it('sets the installer PIN, typed twice, on keys that fit the panel', async () => {
    await fits(page, ['setup-pin-1', 'setup-pin-0', 'setup-pin-ok', 'setup-pin-clear', 'setup-next']);
    for (let round = 0; round < 2; round++) {
      for (const digit of PIN) await page.getByTestId(`setup-pin-${digit}`).click();
      await page.getByTestId('setup-pin-ok').click();
    }
    await page.locator('[data-testid="setup-pin-message"][data-message="saved"]').waitFor();
    await page.getByTestId('setup-next').click();
  });

  it('finishes and reaches the attract screen', async () => {
    await page.screenshot({ path: 'test-output/setup-done-1024x600.png' });
    await page.getByTestId('setup-finish').click();
    await page.getByTestId('attract-screen').waitFor();
    expect(await page.getByTestId('setup-screen').count()).toBe(0);
  });
});

async function expectText(page: Page, testId: string, part: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`, { hasText: part }).waitFor();
}

/** Each target is on a 1024×600 screen and at least 48 px both ways. */
async function fits(page: Page, ids: string[]): Promise<void> {
  for (const id of ids) {
    const box = await page.getByTestId(id).first().boundingBox();
    expect(box, id).not.toBeNull();
    expect(box!.x + box!.width, id).toBeLessThanOrEqual(1024);
    expect(box!.y + box!.height, id).toBeLessThanOrEqual(600);
    expect(Math.min(box!.width, box!.height), id).toBeGreaterThanOrEqual(48);
  }
}

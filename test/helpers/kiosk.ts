/** A whole kiosk core in demo mode with its own temporary data folder, plus the browser host in front of it. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { KioskContext } from '../../src/app/context.js';
import { kioskConfig, type KioskConfig } from '../../src/app/config-schema.js';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host/browser-host.js';
import { rendererDir } from '../../main/project-paths.js';

export interface TestKiosk {
  kiosk: KioskContext;
  host: BrowserHost;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestKiosk(overrides: Partial<KioskConfig> = {}): Promise<TestKiosk> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-kiosk-test-'));
  const config = kioskConfig.parse({ ...overrides, dataDir });
  const kiosk = await createKiosk(config);
  const host = await startBrowserHost({ core: kiosk.core, rendererDir: rendererDir() });
  return {
    kiosk,
    host,
    dataDir,
    stop: async () => {
      await host.close();
      await kiosk.core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The demo kiosk plus a 1280×800 Chromium page already on its attract screen. */
export interface KioskInBrowser {
  kiosk: TestKiosk;
  page: import('playwright-core').Page;
  stop(): Promise<void>;
}

/**
 * `firstScreen`: the screen to wait for instead of attract — 'setup-screen' for a kiosk started unprovisioned
 * (no credentials, `server.mode: 'remote'` at a simulator's URL; see test/e2e/setup.test.ts).
 */
export async function openKioskInBrowser(overrides: Partial<KioskConfig> = {}, opts: { firstScreen?: string } = {}): Promise<KioskInBrowser> {
  const { launchChromium } = await import('./browser.js');
  const kiosk = await startTestKiosk(overrides);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(kiosk.host.url);
  await page.getByTestId(opts.firstScreen ?? 'attract-screen').waitFor();
  return {
    kiosk,
    page,
    stop: async () => {
      await browser.close();
      await kiosk.stop();
    },
  };
}

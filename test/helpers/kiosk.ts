/** A whole kiosk core in demo mode with its own temporary data folder, plus the browser host in front of it. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { KioskContext } from '../../src/app/context.js';
import { kioskConfig, type KioskConfig } from '../../src/config/schema.js';
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

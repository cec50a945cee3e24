/**
 * Electron entry (package.json "main" → dist/main/electron/main.js). Everything that must happen before the app
 * is ready (log sink, config, GPU switches, the app:// scheme, the single-instance lock) runs at load; onReady is
 * a flat list of setupX calls, one per concern. The core is the same one the browser host serves.
 */
import path from 'node:path';
import { app, session, type BrowserWindow } from 'electron';
import { createKiosk } from '../../src/app/create-kiosk.js';
import { loadConfig } from '../../src/app/load-config.js';
import type { KioskConfig } from '../../src/app/config-schema.js';
import { createLogger } from '../../src/log/logger.js';
import { preloadPath, rendererRoot } from './app-paths.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { setupCrashRecovery } from './crash.js';
import { setupGpu } from './gpu.js';
import { openGpuStateStore } from './gpu-state.js';
import { guardInput } from './input-guard.js';
import { setupIpc } from './ipc.js';
import { keepDisplayAwake } from './keep-awake.js';
import { setupLogging } from './logging.js';
import { lockAllWebContents, lockSession } from './security.js';
import { onRestartRequested } from '../../src/app/restart-request.js';
import { restartApp } from './restart.js';
import { disposeOnQuit } from './shutdown.js';
import { claimSingleInstance } from './single-instance.js';
import { createKioskWindow } from './window.js';

const log = createLogger('electron');
let kioskWindow: BrowserWindow | null = null;

setupLogging();
const config = loadConfigOrExit();
const gpu = setupGpu(config.ui.gpu, openGpuStateStore());
registerAppScheme();
lockAllWebContents(app);

if (claimSingleInstance(() => kioskWindow)) {
  app
    .whenReady()
    .then(onReady)
    .catch((err: unknown) => {
      log.error('the kiosk could not start', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      app.exit(1); // systemd (Restart=always) tries again
    });
}

async function onReady(): Promise<void> {
  lockSession(session.defaultSession);
  serveRenderer(rendererRoot());
  keepDisplayAwake();
  const kiosk = await createKiosk(config);
  disposeOnQuit(kiosk.core);
  kioskWindow = createKioskWindow({ preload: preloadPath(), devTools: process.env.RVM_DEVTOOLS === '1' });
  gpu.watchFirstPaint(kioskWindow);
  setupIpc(kioskWindow, kiosk.core);
  guardInput(kioskWindow.webContents);
  setupCrashRecovery(kioskWindow);
  onRestartRequested(kiosk, restartApp);
  log.info('kiosk window created', { demoMode: kiosk.demoMode, gpu: gpu.decision.reason });
}

function loadConfigOrExit(): KioskConfig {
  try {
    // A packaged app's working directory is not ours to write in: default to Electron's userData folder.
    const { config, file } = loadConfig({ defaultDataDir: path.join(app.getPath('userData'), 'data') });
    log.info('configuration loaded', { file: file ?? '(defaults)', dataDir: config.dataDir });
    return config;
  } catch (err) {
    log.error('the configuration is unusable; the kiosk cannot start', { error: String(err) });
    app.exit(1);
    throw err;
  }
}

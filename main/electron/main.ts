/**
 * Electron entry (package.json "main" → dist/main/electron/main.js). Everything that must happen before the app
 * is ready (log sink, config, GPU switches, the app:// scheme, the single-instance lock) runs at load; onReady is
 * a flat list of setupX calls, one per concern. The core is the same one the browser host serves.
 *
 * The executable takes the `rvm-kiosk` command line (main/cli/args.ts): `start` (the default) is the kiosk;
 * `doctor`, `import-credentials FILE`, `export-logs DIR`, `--help` run once, print, and exit with their code
 * without opening a window or taking the single-instance lock. Chromium's own switches pass through.
 */
import path from 'node:path';
import { app, session, type BrowserWindow } from 'electron';
import { createKiosk } from '../../src/app/create-kiosk.js';
import { demoModeChosen } from '../../src/app/first-run/first-run-state.js';
import { describeStartLine, loadConfig } from '../../src/app/load-config.js';
import type { KioskConfig } from '../../src/app/config-schema.js';
import { sealPlainSecretFiles } from '../../src/app/first-run/secret-files.js';
import { createLogger, setLogLevel } from '../../src/log/logger.js';
import { fileSecrets } from '../../src/storage/secret-store.js';
import type { ParsedCli } from '../cli/args.js';
import { ownArgs } from '../cli/electron-argv.js';
import { parseOrReport, runCommand } from '../cli/run.js';
import { startWatchdog } from '../systemd-notify.js';
import { preloadPath, rendererRoot } from './app-paths.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { showCannotStart } from './cannot-start.js';
import { choosePasswordStore, hostSecrets, safeStorageSecrets } from './safe-storage-secrets.js';
import { setupCrashRecovery } from './crash.js';
import { setupGpu } from './gpu.js';
import { openGpuStateStore } from './gpu-state.js';
import { electronOperatorSettings } from './operator-settings-store.js';
import { guardInput } from './input-guard.js';
import { setupIpc } from './ipc.js';
import { keepDisplayAwake } from './keep-awake.js';
import { setupLogging } from './logging.js';
import { lockAllWebContents, lockSession } from './security.js';
import { onRestartRequested } from '../../src/app/restart-request.js';
import { restartApp } from './restart.js';
import { disposeOnQuit } from './shutdown.js';
import { claimSingleInstance } from './single-instance.js';
import { clearStartFailures } from './start-failures.js';
import { createKioskWindow } from './window.js';

const log = createLogger('electron');
let kioskWindow: BrowserWindow | null = null;
/** The one-shot commands that read or write secrets (they wait for app ready: safeStorage needs it). */
const SECRET_COMMANDS = new Set<ParsedCli['command']>(['doctor', 'import-credentials', 'backup', 'restore']);

const cli = parseOrReport(ownArgs(process.argv, Boolean(process.defaultApp)).ours, { err: (text) => console.error(text) });
// Before ready, for the kiosk and the one-shot commands alike: both must seal and open secrets with one store.
choosePasswordStore();
if (!cli) app.exit(2);
else if (cli.command !== 'start' || cli.help || cli.general) void runOnce(cli);
else if (cli.flags.browser || cli.flags.headless) {
  console.error('rvm-kiosk: --browser and --headless are for a source checkout (npx rvm-kiosk); the packaged app always opens its window');
  app.exit(2);
} else startKioskApp(cli);

function startKioskApp(cli: ParsedCli): void {
  setupLogging();
  const loaded = loadConfigOrFailure(cli.config);
  const gpu = loaded.ok ? setupGpu(loaded.config.ui.gpu, openGpuStateStore()) : null;
  // The cannot-start page is text: no GPU needed, and a GPU driver problem must not hide it too.
  if (!gpu) app.disableHardwareAcceleration();
  registerAppScheme();
  lockAllWebContents(app);

  if (claimSingleInstance(() => kioskWindow)) {
    // Fed from the main thread's event loop: if it hangs, systemd (WatchdogSec) kills and restarts us. Also
    // while the cannot-start screen shows: that process is healthy, it is waiting to try again.
    startWatchdog({ log: (message, fields) => log.info(message, fields) });
    app
      .whenReady()
      .then(() => {
        if (!loaded.ok) throw loaded.error;
        return onReady(loaded.config, gpu!, loaded.demoChosen);
      })
      .catch((err: unknown) => {
        // Instead of exiting into systemd's 3-second restart loop on a black screen (main/electron/cannot-start.ts).
        lockSession(session.defaultSession);
        // A step after the window opened failed: that page would sit behind, talking to a half-started core.
        if (kioskWindow && !kioskWindow.isDestroyed()) kioskWindow.destroy();
        kioskWindow = showCannotStart(err, { countDir: app.getPath('userData'), verdict: () => localVerdict(cli.config) });
      });
  }
}

async function onReady(config: KioskConfig, gpu: ReturnType<typeof setupGpu>, demoChosen: boolean): Promise<void> {
  lockSession(session.defaultSession);
  serveRenderer(rendererRoot());
  keepDisplayAwake();
  const secrets = await hostSecrets();
  await sealPlainSecretFiles(config.dataDir, secrets).then(
    (files) => files.length > 0 && log.info('sealed plain secret files with safeStorage', { files }),
    (err: unknown) => log.warn('could not seal the plain secret files; they stay 0600 files', { error: String(err) }),
  );
  const kiosk = await createKiosk(config, { demoChosen, secrets, settings: electronOperatorSettings });
  clearStartFailures(app.getPath('userData'));
  disposeOnQuit(kiosk.core);
  kioskWindow = createKioskWindow({ preload: preloadPath(), devTools: process.env.RVM_DEVTOOLS === '1' });
  gpu.watchFirstPaint(kioskWindow);
  setupIpc(kioskWindow, kiosk.core);
  guardInput(kioskWindow.webContents);
  setupCrashRecovery(kioskWindow);
  onRestartRequested(kiosk, restartApp);
  log.info('kiosk window created', { demoMode: kiosk.demoMode, gpu: gpu.decision.reason });
}

/** The doctor's checks that need no core, for the cannot-start screen; loaded only when a start failed. */
async function localVerdict(configFile: string | undefined) {
  const { runLocalChecks } = await import('../../src/app/doctor/run-local-checks.js');
  const configSource = { file: configFile, defaultDataDir: path.join(app.getPath('userData'), 'data'), settingsStore: electronOperatorSettings };
  return runLocalChecks({ configSource, secrets: safeStorageSecrets() ?? fileSecrets });
}

type Loaded = { ok: true; config: KioskConfig; demoChosen: boolean } | { ok: false; error: unknown };

function loadConfigOrFailure(file: string | undefined): Loaded {
  try {
    // A packaged app's working directory is not ours to write in: default to Electron's userData folder.
    const { config, sources } = loadConfig({ file, defaultDataDir: path.join(app.getPath('userData'), 'data'), settingsStore: electronOperatorSettings });
    const startLine = describeStartLine(config, sources);
    console.log(`RVM kiosk starting: ${startLine}`);
    log.info('configuration loaded', { startLine, file: sources.file ?? '(none)', dataDir: config.dataDir });
    // A packaged app with no server configured is a machine being installed: the first-run setup screen, not
    // the demo. A source checkout (`npm start`) keeps the demo without a configuration.
    return { ok: true, config, demoChosen: !app.isPackaged || demoModeChosen(sources) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`RVM kiosk cannot start: ${message}`);
    log.error('the configuration is unusable; the kiosk cannot start', { error: message });
    return { ok: false, error: err };
  }
}

/** doctor, import-credentials, export-logs, help: no window, no lock, the same code as `npx rvm-kiosk`. */
async function runOnce(cli: ParsedCli): Promise<void> {
  if (!process.env.RVM_LOG_LEVEL) setLogLevel('error');
  const userData = app.getPath('userData');
  const secrets = !cli.help && !cli.general && SECRET_COMMANDS.has(cli.command) ? await hostSecrets() : undefined;
  const code = await runCommand(cli, {
    ...(secrets ? { secrets } : {}),
    env: process.env,
    cwd: process.cwd(),
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    version: app.getVersion(),
    defaultDataDir: path.join(userData, 'data'),
    userDataDirs: [userData],
  }).catch((err: unknown) => {
    console.error(`rvm-kiosk: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  });
  app.exit(code);
}

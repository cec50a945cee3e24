/**
 * `rvm-kiosk start` in a checkout (the default command; `npm start`). Runs the Electron kiosk when the
 * Electron runtime is installed; otherwise says so in one line and serves the same core to a browser over
 * loopback (opening Chromium in app mode when there is a display). Flags (parsed in main/cli/args.ts):
 * --browser forces the browser host, --headless runs the core with no UI at all, --no-open only prints the
 * URL, --config FILE picks a configuration file. The first line says each part's mode and where its
 * settings came from; a configuration that cannot work stops here, naming the key and the fix.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKiosk } from '../src/app/create-kiosk.js';
import { onRestartRequested } from '../src/app/restart-request.js';
import { describeStartLine, loadConfig } from '../src/app/load-config.js';
import { startBrowserHost } from './browser-host/browser-host.js';
import type { ParsedCli } from './cli/args.js';
import { findChromium, findElectronBinary, hasDisplay } from './electron-runtime.js';
import { projectRoot, rendererDir } from './project-paths.js';
import { startWatchdog } from './systemd-notify.js';

/** Runs until stopped; `rawArgs` are handed to Electron unchanged (its entry parses them the same way). */
export async function startKiosk(cli: ParsedCli, rawArgs: readonly string[]): Promise<void> {
  const root = projectRoot();
  const { browser, headless, noOpen } = cli.flags;
  const electron = browser || headless ? null : findElectronBinary(root);
  if (electron) {
    execFileSync('npm', ['run', 'build:node'], { cwd: root, stdio: 'inherit' });
    const child = spawn(electron, [root, ...rawArgs], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (!browser && !headless) {
    console.log('Electron runtime not available here; starting the browser host instead.');
  }

  const { config, sources } = loadConfig({ file: cli.config });
  console.log(`RVM kiosk starting: ${describeStartLine(config, sources)}`);
  const kiosk = await createKiosk(config);
  const watchdog = startWatchdog({ log: (message, fields) => console.log(message, fields ?? '') });
  const shutdown = async () => {
    watchdog.stop();
    await kiosk.core.dispose();
    process.exit(0);
  };
  // Exit code 75 (EX_TEMPFAIL) asks the supervisor (systemd Restart=always) to start us again.
  onRestartRequested(kiosk, () => void kiosk.core.dispose().then(() => process.exit(75)));
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  if (headless) {
    console.log('RVM kiosk core running headless. Ctrl+C stops it.');
    for (const { name, payload } of kiosk.core.snapshot()) console.log(JSON.stringify({ event: name, payload }));
    kiosk.core.subscribe((name, payload) => console.log(JSON.stringify({ event: name, payload })));
    return;
  }

  const hostOptions = { core: kiosk.core, rendererDir: rendererDir(root), host: config.ui.host, allowedHosts: config.ui.allowedHosts };
  const host = await startBrowserHost({ ...hostOptions, port: config.ui.port }).catch(() => startBrowserHost({ ...hostOptions, port: 0 }));
  kiosk.core.onDispose(() => host.close());
  console.log(`RVM kiosk at ${host.url}`);

  const chromium = findChromium();
  if (chromium && hasDisplay() && !noOpen) {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'rvm-kiosk-chromium-'));
    spawn(chromium, [`--app=${host.url}`, '--kiosk', `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  } else {
    console.log(`Open ${host.url} in a browser.`);
  }
}

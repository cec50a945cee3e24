/**
 * `npm start`. Runs the Electron kiosk when the Electron runtime is installed; otherwise says so in one line
 * and serves the same core to a browser over loopback (opening Chromium in app mode when there is a display).
 * Flags: --browser forces the browser host, --headless runs the core with no UI at all, --no-open only prints
 * the URL, --config FILE picks a configuration file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKiosk } from '../src/app/create-kiosk.js';
import { onRestartRequested } from '../src/app/restart-request.js';
import { loadConfig } from '../src/app/load-config.js';
import { startBrowserHost } from './browser-host/browser-host.js';
import { findChromium, findElectronBinary, hasDisplay } from './electron-runtime.js';
import { projectRoot, rendererDir } from './project-paths.js';

const args = new Set(process.argv.slice(2));
const root = projectRoot();

async function main(): Promise<void> {
  const electron = args.has('--browser') || args.has('--headless') ? null : findElectronBinary(root);
  if (electron) {
    execFileSync('npm', ['run', 'build:node'], { cwd: root, stdio: 'inherit' });
    const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (!args.has('--browser') && !args.has('--headless')) {
    console.log('Electron runtime not available here; starting the browser host instead.');
  }

  const { config, file } = loadConfig();
  const kiosk = await createKiosk(config);
  const where = file ? `configuration ${file}` : 'no configuration file: demo mode';
  const shutdown = async () => {
    await kiosk.core.dispose();
    process.exit(0);
  };
  // Exit code 75 (EX_TEMPFAIL) asks the supervisor (systemd Restart=always) to start us again.
  onRestartRequested(kiosk, () => void kiosk.core.dispose().then(() => process.exit(75)));
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  if (args.has('--headless')) {
    console.log(`RVM kiosk core running headless (${where}). Ctrl+C stops it.`);
    for (const { name, payload } of kiosk.core.snapshot()) console.log(JSON.stringify({ event: name, payload }));
    kiosk.core.subscribe((name, payload) => console.log(JSON.stringify({ event: name, payload })));
    return;
  }

  const host = await startBrowserHost({ core: kiosk.core, rendererDir: rendererDir(root), host: config.ui.host, port: config.ui.port })
    .catch(() => startBrowserHost({ core: kiosk.core, rendererDir: rendererDir(root), host: config.ui.host, port: 0 }));
  kiosk.core.onDispose(() => host.close());
  console.log(`RVM kiosk (${where}) at ${host.url}`);

  const chromium = findChromium();
  if (chromium && hasDisplay() && !args.has('--no-open')) {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'rvm-kiosk-chromium-'));
    spawn(chromium, [`--app=${host.url}`, '--kiosk', `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  } else {
    console.log(`Open ${host.url} in a browser.`);
  }
}

main().catch((err: Error) => {
  console.error(`RVM kiosk failed to start: ${err.message}`);
  process.exit(1);
});

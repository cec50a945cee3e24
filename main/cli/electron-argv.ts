/**
 * The packaged app's own arguments. Electron leaves Chromium's switches in `process.argv` next to ours
 * (`rvm-kiosk --ozone-platform=x11 --password-store=basic doctor`), so the switches an installer may put on the
 * command line are set aside by name before our strict parser sees the rest; any other unknown flag is still an
 * error that names it. Pure, so it is tested without Electron.
 */

/**
 * Chromium/Electron switches accepted beside ours (name without dashes; `--name` and `--name=value` both).
 * deploy/rvm-kiosk.service passes the first two; the rest are the display, GPU and logging switches a Jetson
 * installer may need. Add one here when a new switch is needed on the command line.
 */
export const CHROMIUM_SWITCHES: readonly string[] = [
  'ozone-platform',
  'password-store',
  'no-sandbox',
  'disable-gpu',
  'disable-gpu-sandbox',
  'disable-software-rasterizer',
  'use-gl',
  'use-angle',
  'ignore-gpu-blocklist',
  'in-process-gpu',
  'enable-features',
  'disable-features',
  'enable-logging',
  'log-file',
  'v',
  'vmodule',
  'force-device-scale-factor',
  'touch-events',
  'lang',
  'disable-dev-shm-usage',
  'no-zygote',
  'user-data-dir',
  'remote-debugging-port',
];

/** Our arguments from `process.argv`: after the executable (packaged) or after the app folder (`electron .`). */
export function ownArgs(argv: readonly string[], defaultApp: boolean): { ours: string[]; chromium: string[] } {
  const rest = argv.slice(defaultApp ? 2 : 1);
  const ours: string[] = [];
  const chromium: string[] = [];
  for (const arg of rest) {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name !== undefined && CHROMIUM_SWITCHES.includes(name)) chromium.push(arg);
    else ours.push(arg);
  }
  return { ours, chromium };
}

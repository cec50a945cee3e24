/**
 * Where the Electron shell keeps its files when the CLI runs without Electron: userData is
 * ~/.config/<app name>/ — "RVM Kiosk" when packaged (electron-builder's productName), "rvm-kiosk" for
 * `electron .` in a checkout. electron-log writes <userData>/logs/main.log; the GPU guard <userData>/gpu-state.json.
 */
import os from 'node:os';
import path from 'node:path';

export function userDataCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return [path.join(base, 'RVM Kiosk'), path.join(base, 'rvm-kiosk')];
}

/**
 * Display sleep: what X says (`xset q`: screen saver timeout and DPMS) when there is a DISPLAY to ask; the
 * kiosk's unit turns both off before each start (deploy/rvm-kiosk.service). Without a display: unknown.
 */
import type { CheckResult, DoctorContext, RunProgram } from './types.js';
import { ok, skip, warn } from './types.js';

const ID = 'display';
const TITLE = 'display sleep';
const FIX = 'xset s off -dpms s noblank (deploy/rvm-kiosk.service runs this before every start; GNOME: see docs/deployment.md)';

export function checkDisplay({ env }: DoctorContext, run: RunProgram): CheckResult {
  if (!env.DISPLAY) return skip(ID, TITLE, 'unknown: no DISPLAY (run as the kiosk user with DISPLAY=:0 to read xset q)');
  const out = run('xset', ['q'], env);
  if (!out) return skip(ID, TITLE, 'unknown: xset is not installed (apt-get install x11-xserver-utils)');
  if (out.status !== 0) return skip(ID, TITLE, `unknown: xset q failed on DISPLAY=${env.DISPLAY}`);
  const settings = parseXsetQ(out.stdout);
  const detail = `DISPLAY=${env.DISPLAY}: screen saver ${settings.saverTimeoutS === 0 ? 'off' : settings.saverTimeoutS === null ? 'unknown' : `after ${settings.saverTimeoutS} s`}, DPMS ${settings.dpms ?? 'unknown'}`;
  if (settings.saverTimeoutS === 0 && settings.dpms !== 'enabled') return ok(ID, TITLE, detail);
  return warn(ID, TITLE, `${detail}: the screen will blank`, FIX);
}

export function parseXsetQ(text: string): { saverTimeoutS: number | null; dpms: 'enabled' | 'disabled' | null } {
  const timeout = /Screen Saver:[\s\S]*?timeout:\s*(\d+)/.exec(text);
  const dpms = /DPMS is (Enabled|Disabled)/i.exec(text);
  return { saverTimeoutS: timeout ? Number(timeout[1]) : null, dpms: dpms ? (dpms[1]!.toLowerCase() as 'enabled' | 'disabled') : null };
}

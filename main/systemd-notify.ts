/**
 * Feeds systemd's watchdog (WatchdogSec= in deploy/rvm-kiosk.service) so a hung main process is killed and
 * restarted. sd_notify speaks over a unix datagram socket (NOTIFY_SOCKET), which Node's dgram cannot open and
 * which needs no native module if we let `systemd-notify` send it: READY=1 once, then WATCHDOG=1 at a third
 * of the watchdog interval (WATCHDOG_USEC), from a timer on the main thread's event loop — when the loop
 * hangs, the pings stop. The sender is a child process, so the unit needs NotifyAccess=all. Without
 * NOTIFY_SOCKET (not under systemd, or no watchdog configured) it does nothing.
 */
import { spawn } from 'node:child_process';

export interface WatchdogOptions {
  env?: NodeJS.ProcessEnv;
  pid?: number;
  /** Sends one notification; defaults to running systemd-notify. Resolves false when it could not be sent. */
  notify?: (fields: string[]) => Promise<boolean>;
  /** Optional extra health check: a ping is skipped while it says false. */
  healthy?: () => boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface Watchdog {
  /** The ping interval in ms, or null when no watchdog is running. */
  readonly intervalMs: number | null;
  stop(): void;
}

/**
 * One notification through systemd-notify. systemd ≥ 246 waits (a "barrier") until systemd has read it, so the
 * message is attributed to our unit even though the sender is a short-lived child.
 */
export function runSystemdNotify(fields: string[], pid = process.pid, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('systemd-notify', [`--pid=${pid}`, ...fields], { stdio: 'ignore', env });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

export function startWatchdog(o: WatchdogOptions = {}): Watchdog {
  const env = o.env ?? process.env;
  const pid = o.pid ?? process.pid;
  if (!env.NOTIFY_SOCKET) return { intervalMs: null, stop: () => undefined };
  const notify = o.notify ?? ((fields: string[]) => runSystemdNotify(fields, pid, env));
  const log = o.log ?? (() => undefined);
  void notify(['READY=1', 'STATUS=rvm-kiosk running']).then((sent) => {
    if (!sent) log('systemd-notify failed; is it installed (package systemd)?');
  });
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === pid;
  if (!Number.isFinite(usec) || usec <= 0 || !forUs) return { intervalMs: null, stop: () => undefined };
  const intervalMs = Math.max(500, Math.floor(usec / 1000 / 3));
  let failures = 0;
  const timer = setInterval(() => {
    if (o.healthy && !o.healthy()) return;
    void notify(['WATCHDOG=1']).then((sent) => {
      failures = sent ? 0 : failures + 1;
      if (failures === 3) log('three watchdog pings in a row could not be sent; systemd will restart the kiosk');
    });
  }, intervalMs);
  timer.unref();
  log('systemd watchdog fed', { intervalMs });
  return { intervalMs, stop: () => clearInterval(timer) };
}

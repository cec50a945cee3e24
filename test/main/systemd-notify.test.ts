/**
 * The systemd watchdog feed (main/systemd-notify.ts): nothing without NOTIFY_SOCKET, READY=1 at start, then
 * WATCHDOG=1 at a third of WATCHDOG_USEC from the event loop — and the real systemd-notify reaching a unix
 * datagram socket (socat stands in for systemd's end).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSystemdNotify, startWatchdog } from '../../main/systemd-notify.js';
import { eventually } from '../helpers/eventually.js';
import { describeWithSocat } from '../helpers/pty.js';

afterEach(() => vi.useRealTimers());
const hasSystemdNotify = spawnSync('systemd-notify', ['--version']).status === 0;

describe('the watchdog feed', () => {
  it('does nothing outside systemd', () => {
    const notify = vi.fn(async () => true);
    const dog = startWatchdog({ env: {}, notify });
    expect(dog.intervalMs).toBeNull();
    expect(notify).not.toHaveBeenCalled();
  });

  it('says READY=1, then pings WATCHDOG=1 at a third of WatchdogSec', async () => {
    vi.useFakeTimers();
    const notify = vi.fn(async (_fields: string[]) => true);
    const dog = startWatchdog({ env: { NOTIFY_SOCKET: '/run/user/1000/systemd/notify', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '77' }, pid: 77, notify });
    expect(dog.intervalMs).toBe(10_000);
    expect(notify).toHaveBeenCalledWith(['READY=1', 'STATUS=rvm-kiosk running']);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(notify.mock.calls.filter(([f]) => f[0] === 'WATCHDOG=1')).toHaveLength(3);
    dog.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(notify.mock.calls.filter(([f]) => f[0] === 'WATCHDOG=1')).toHaveLength(3);
  });

  it('leaves a watchdog meant for another process alone, and skips pings while unhealthy', async () => {
    vi.useFakeTimers();
    const notify = vi.fn(async (_fields: string[]) => true);
    expect(startWatchdog({ env: { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }, pid: 2, notify }).intervalMs).toBeNull();
    let healthy = false;
    const dog = startWatchdog({ env: { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '3000000' }, notify, healthy: () => healthy });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(notify.mock.calls.some(([f]) => f[0] === 'WATCHDOG=1')).toBe(false);
    healthy = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(notify.mock.calls.some(([f]) => f[0] === 'WATCHDOG=1')).toBe(true);
    dog.stop();
  });
});

describeWithSocat('systemd-notify over a unix datagram socket', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rvm-notify-'));
  const socket = path.join(dir, 'notify.sock');
  const received = path.join(dir, 'received');
  let socat: ChildProcess | null = null;
  beforeAll(async () => {
    socat = spawn('socat', ['-u', `UNIX-RECV:${socket},unlink-early`, `OPEN:${received},creat,append`], { stdio: 'ignore' });
    await eventually(() => readFileSync('/proc/net/unix', 'utf8').includes(socket), { what: 'socat listening on the socket' });
  });
  afterAll(() => {
    socat?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasSystemdNotify)('delivers the message with our main PID (needs systemd-notify, package systemd)', async () => {
    // Only the delivery is checked: socat does not answer systemd's barrier, so the command itself fails after 5 s.
    void runSystemdNotify(['WATCHDOG=1'], 4242, { ...process.env, NOTIFY_SOCKET: socket });
    const text = await eventually(() => readFileSync(received, 'utf8').includes('WATCHDOG=1') && readFileSync(received, 'utf8'), { what: 'the datagram' });
    expect(text).toContain('MAINPID=4242');
  });
});

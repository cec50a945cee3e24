/**
 * The packaged entry when the core cannot start, against the fake Electron: instead of exiting into systemd's
 * 3-second restart loop it shows the "cannot start" page in a locked-down window, counts the failure in the
 * user data folder, and only exits (code 75, for Restart=always) when the retry delay is over. A start that
 * succeeds clears the count. Time is the logic here, so the retry runs on fake timers.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src/core/event-bus.js';
import { KioskCore } from '../../../src/core/kiosk-core.js';
import type { KioskEvents } from '../../../src/domain/events.js';
import { DEFAULT_START_RETRY, START_FAILURES_FILE } from '../../../main/electron/start-failures.js';
import { eventually } from '../../helpers/eventually.js';
import { FakeBrowserWindow } from '../../helpers/electron-mock.js';

const { fake, createKioskSpy } = await vi.hoisted(async () => {
  const { createElectronFake } = await import('../../helpers/electron-mock.js');
  return { fake: createElectronFake(), createKioskSpy: vi.fn() };
});
vi.mock('electron', () => fake.module);
vi.mock('electron-log/main', () => {
  const scoped = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { default: { transports: { file: { level: 'silly', maxSize: 0 } }, errorHandler: { startCatching: vi.fn() }, scope: vi.fn(() => scoped) } };
});
vi.mock('../../../src/app/create-kiosk.js', () => ({ createKiosk: createKioskSpy }));

const argvBefore = process.argv;
const sigtermBefore = new Set(process.listeners('SIGTERM'));
const countFile = () => path.join(fake.userData(), START_FAILURES_FILE);

/** Start the packaged executable as deploy/rvm-kiosk.service does, and wait for its one window. */
async function launch(): Promise<FakeBrowserWindow> {
  fake.reset();
  vi.resetModules();
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  process.argv = ['/opt/rvm/current/rvm-kiosk', '--ozone-platform=x11', '--password-store=basic'];
  await import('../../../main/electron/main.js');
  return eventually(() => FakeBrowserWindow.instances[0] ?? false, { what: 'a window' });
}
/** The page loaded again with the doctor's verdict (the checks run after the first page shows). */
const verdictOf = (win: FakeBrowserWindow) => eventually(() => (win.loadURL.mock.calls.length >= 2 ? pageOf(win, 1) : false), { what: 'the page with the verdict' });
const pageOf = (win: FakeBrowserWindow, load = 0) => {
  const url = String(win.loadURL.mock.calls[load]?.[0]);
  expect(url.startsWith('data:text/html')).toBe(true);
  return decodeURIComponent(url.slice(url.indexOf(',') + 1));
};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(() => {
  process.argv = argvBefore;
  for (const listener of process.listeners('SIGTERM')) if (!sigtermBefore.has(listener)) process.off('SIGTERM', listener);
  fake.cleanup();
});

describe('a start that fails', () => {
  it('shows the cannot-start page for a misspelt key, in a window with no script, no preload and no Node', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubEnv('INVOCATION_ID', 'under-systemd');
    vi.stubEnv('RVM__hardwre__mode', 'serial');
    const win = await launch();
    expect(createKioskSpy).not.toHaveBeenCalled();
    expect(fake.app.disableHardwareAcceleration).toHaveBeenCalled();
    expect(win.options).toMatchObject({ fullscreen: true, kiosk: true, frame: false });
    expect(win.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(win.options.webPreferences.preload).toBeUndefined();
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    const page = pageOf(win);
    expect(page).toContain('Mesin tidak dapat dimulai');
    expect(page).toContain('<code>config_invalid</code>');
    expect(page).toContain('hardwre');
    expect(page).toContain('Attempt 1.');
    expect(JSON.parse(readFileSync(countFile(), 'utf8'))).toMatchObject({ consecutive: 1, lastCode: 'config_invalid' });
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
    // Then the doctor's verdict: the page is loaded again with the failing check and its fix.
    expect(page).toContain('Pemeriksaan mesin sedang berjalan…');
    const verdict = await verdictOf(win);
    expect(verdict).toMatch(/<li class="fail"><b>FAIL configuration<\/b>: [^<]*hardwre[^<]*<br>Fix: correct the file or RVM__ variable named above/);
    expect(verdict).toContain('Pemeriksaan menemukan 1 hal yang perlu diperbaiki');
    expect(verdict).toContain('The checks found 1 thing(s) to fix');
  });

  it('shows the verdict of the checks that need no core: a serial port that is not there, with its fix', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubEnv('INVOCATION_ID', 'under-systemd');
    vi.stubEnv('RVM__hardware__mode', 'serial');
    vi.stubEnv('RVM__hardware__serial__path', '/dev/rvm-no-such-controller');
    createKioskSpy.mockRejectedValueOnce(new Error('the controller did not answer'));
    const win = await launch();
    expect(pageOf(win)).toContain('<code>start_failed</code>');
    const verdict = await verdictOf(win);
    expect(verdict).toMatch(/<b>FAIL serial port<\/b>: \/dev\/rvm-no-such-controller is not present<br>Fix: plug in the controller/);
    expect(verdict).not.toContain('FAIL configuration');
    expect(verdict).not.toContain('FAIL data folder');
  });

  it('stays up for the retry delay, then exits with 75 so systemd starts it afresh', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubEnv('INVOCATION_ID', 'under-systemd');
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir '/var/lib/rvm'"), { code: 'EACCES' });
    createKioskSpy.mockRejectedValueOnce(denied);
    const win = await launch();
    expect(pageOf(win)).toContain('<code>data_dir_unwritable</code>');
    expect(pageOf(win)).toContain('Attempt 3.'); // counted on from the two tests' failures before
    await verdictOf(win);
    await vi.advanceTimersByTimeAsync(DEFAULT_START_RETRY.quickDelayMs - 1);
    expect(fake.app.exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.app.exit).toHaveBeenCalledWith(75);
  });
});

describe('a start that succeeds', () => {
  it('clears the count, so the next failure is retried quickly again', async () => {
    expect(existsSync(countFile())).toBe(true);
    createKioskSpy.mockResolvedValueOnce({ core: new KioskCore(), bus: new EventBus<KioskEvents>(), demoMode: true });
    const win = await launch();
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
    expect(existsSync(countFile())).toBe(false);
    expect(FakeBrowserWindow.instances).toHaveLength(1); // the kiosk's own, no cannot-start page
  });
});

describe('a start that fails after the kiosk window opened', () => {
  it('closes that window and shows only the cannot-start page', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // A kiosk without its bus: wiring the RESTART command, after the window is created, throws.
    createKioskSpy.mockResolvedValueOnce({ core: new KioskCore(), demoMode: true });
    const kioskWindow = await launch();
    expect(kioskWindow.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
    const page = await eventually(() => FakeBrowserWindow.instances[1] ?? false, { what: 'the cannot-start window' });
    expect(kioskWindow.destroy).toHaveBeenCalled();
    expect(pageOf(page)).toContain('<code>start_failed</code>');
    await verdictOf(page);
  });
});

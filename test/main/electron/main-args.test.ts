/**
 * The packaged executable's own command line (main/electron/main.ts), against the fake Electron: the same
 * commands and flags as `npx rvm-kiosk`, Chromium's switches passed through, a one-shot command run without a
 * window or the single-instance lock and ended with its exit code, an unknown flag refused by name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { FakeBrowserWindow } from '../../helpers/electron-mock.js';

const { fake, runCommandSpy } = await vi.hoisted(async () => {
  const { createElectronFake } = await import('../../helpers/electron-mock.js');
  return { fake: createElectronFake(), runCommandSpy: vi.fn() };
});
vi.mock('electron', () => fake.module);
vi.mock('electron-log/main', () => {
  const scoped = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { default: { transports: { file: { level: 'silly', maxSize: 0 } }, errorHandler: { startCatching: vi.fn() }, scope: vi.fn(() => scoped) } };
});
// The kiosk itself never comes up here: the argument handling is what is under test.
vi.mock('../../../src/app/create-kiosk.js', () => ({ createKiosk: vi.fn(() => new Promise(() => undefined)) }));
vi.mock('../../../main/cli/run.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/cli/run.js')>();
  runCommandSpy.mockImplementation(real.runCommand);
  return { ...real, runCommand: runCommandSpy };
});

const argvBefore = process.argv;
const scratch = mkdtempSync(path.join(tmpdir(), 'rvm-main-args-'));
let out: string[] = [];
let err: string[] = [];

async function launch(args: string[], { defaultApp = false } = {}): Promise<void> {
  fake.reset();
  FakeBrowserWindow.instances = [];
  vi.resetModules();
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  process.argv = defaultApp ? ['/usr/lib/electron/electron', '/work/rvm-kiosk', ...args] : ['/opt/rvm/current/rvm-kiosk', ...args];
  Object.defineProperty(process, 'defaultApp', { value: defaultApp || undefined, configurable: true });
  await import('../../../main/electron/main.js');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(() => {
  process.argv = argvBefore;
  Object.defineProperty(process, 'defaultApp', { value: undefined, configurable: true });
  rmSync(scratch, { recursive: true, force: true });
  fake.cleanup();
});

describe('the packaged app’s command line', () => {
  it('runs a one-shot command without a window or the instance lock, and exits with its code', async () => {
    runCommandSpy.mockResolvedValueOnce(1);
    await launch(['--ozone-platform=x11', 'doctor', '--json']);
    await eventually(() => expect(fake.app.exit).toHaveBeenCalledWith(1), { what: 'the exit with the doctor’s code' });
    expect(runCommandSpy).toHaveBeenCalledWith(
      expect.objectContaining({ command: 'doctor', flags: expect.objectContaining({ json: true }) }),
      expect.objectContaining({ defaultDataDir: path.join(fake.userData(), 'data'), userDataDirs: [fake.userData()] }),
    );
    expect(fake.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    // The doctor reads the sealed credentials: it waits for ready (safeStorage needs it) and gets the sealing store.
    expect(fake.app.whenReady).toHaveBeenCalled();
    const io = runCommandSpy.mock.calls[0]![1] as { secrets?: { protection(): unknown } };
    expect(io.secrets?.protection()).toEqual({ kind: 'safe-storage', backend: 'basic_text', encrypted: false });
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('reads its arguments after the app folder when started as `electron .`', async () => {
    await launch(['import-credentials', '/media/usb/rvm-credentials.json', '--force'], { defaultApp: true });
    await eventually(() => expect(fake.app.exit).toHaveBeenCalled(), { what: 'the exit' });
    expect(runCommandSpy).toHaveBeenLastCalledWith(expect.objectContaining({ command: 'import-credentials', target: '/media/usb/rvm-credentials.json', flags: expect.objectContaining({ force: true }) }), expect.anything());
  });

  it('prints the help and exits 0', async () => {
    await launch(['--help']);
    await eventually(() => expect(fake.app.exit).toHaveBeenCalledWith(0), { what: 'the exit' });
    expect(fake.app.whenReady).not.toHaveBeenCalled(); // nothing secret to read: no wait for ready
    expect(out.join('\n')).toMatch(/Usage: rvm-kiosk \[command\][\s\S]*doctor[\s\S]*import-credentials FILE[\s\S]*export-logs DIR/);
  });

  it('refuses an unknown flag by name, with exit code 2, before anything starts', async () => {
    await launch(['--password-store=basic', '--frobnicate']);
    expect(fake.app.exit).toHaveBeenCalledWith(2);
    expect(err.join('\n')).toContain('unknown option --frobnicate for rvm-kiosk start');
    expect(fake.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(fake.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('refuses the checkout-only --browser in the packaged app', async () => {
    await launch(['--browser']);
    expect(fake.app.exit).toHaveBeenCalledWith(2);
    expect(err.join('\n')).toMatch(/--browser and --headless are for a source checkout/);
  });

  it('starts the kiosk with the configuration named by --config, and says its modes', async () => {
    const file = path.join(scratch, 'kiosk.json');
    writeFileSync(file, JSON.stringify({ ui: { gpu: 'egl' } }));
    vi.stubEnv('NOTIFY_SOCKET', '');
    await launch(['--ozone-platform=x11', '--password-store=basic', 'start', '--config', file]);
    expect(fake.app.exit).not.toHaveBeenCalled();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.app.commandLine.appendSwitch.mock.calls.map((c) => c[0])).toContain('use-angle');
    expect(out.join('\n')).toContain(`RVM kiosk starting: demo mode — hardware simulator [defaults]`);
    expect(out.join('\n')).toContain(`settings: defaults ← ${file}`);
  });

  it('names the key of a misspelt configuration on the cannot-start screen instead of exiting', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the retry (main-cannot-start.test.ts) must not fire here
    const file = path.join(scratch, 'typo.json');
    writeFileSync(file, JSON.stringify({ hardwre: { mode: 'serial' } }));
    await launch(['--config', file]);
    const win = await eventually(() => FakeBrowserWindow.instances[0] ?? false, { what: 'the cannot-start window' });
    expect(decodeURIComponent(String(win.loadURL.mock.calls[0]?.[0]))).toMatch(/unknown key &quot;hardwre&quot; — did you mean &quot;hardware&quot;\?/);
    expect(err.join('\n')).toContain('RVM kiosk cannot start: invalid configuration in');
    expect(fake.app.exit).not.toHaveBeenCalled();
    vi.useRealTimers();
  });
});

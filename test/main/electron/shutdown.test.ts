import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../helpers/eventually.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { disposeOnQuit } = await import('../../../main/electron/shutdown.js');

let sigtermBefore: Set<NodeJS.SignalsListener>;
beforeEach(() => {
  fake.reset();
  sigtermBefore = new Set(process.listeners('SIGTERM'));
});
afterEach(() => {
  for (const listener of process.listeners('SIGTERM')) if (!sigtermBefore.has(listener)) process.off('SIGTERM', listener);
});

const quitEvent = () => ({ preventDefault: vi.fn() });

describe('disposeOnQuit', () => {
  it('holds the quit until the core has closed, then exits', async () => {
    let finish!: () => void;
    const core = { dispose: vi.fn(() => new Promise<void>((resolve) => (finish = resolve))) };
    disposeOnQuit(core);
    const event = quitEvent();
    fake.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(core.dispose).toHaveBeenCalledOnce();
    await Promise.resolve();
    expect(fake.app.exit).not.toHaveBeenCalled();
    finish();
    await eventually(() => expect(fake.app.exit).toHaveBeenCalledWith(0), { what: 'app.exit(0)' });
    fake.app.emit('will-quit', quitEvent()); // app.exit does not come back here, but a second quit must not dispose twice
    expect(core.dispose).toHaveBeenCalledOnce();
  });

  it('exits even when the core hangs while closing', async () => {
    const core = { dispose: vi.fn(() => new Promise<void>(() => {})) };
    disposeOnQuit(core, 10);
    fake.app.emit('will-quit', quitEvent());
    await eventually(() => expect(fake.app.exit).toHaveBeenCalledWith(0), { what: 'app.exit(0)' });
  });

  it('quits when the window is gone and on SIGTERM', () => {
    disposeOnQuit({ dispose: vi.fn(async () => undefined) });
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    const added = process.listeners('SIGTERM').filter((l) => !sigtermBefore.has(l));
    expect(added).toHaveLength(1);
    added[0]!('SIGTERM');
    expect(fake.app.quit).toHaveBeenCalledTimes(2);
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { claimSingleInstance } = await import('../../../main/electron/single-instance.js');
const { keepDisplayAwake } = await import('../../../main/electron/keep-awake.js');

beforeEach(() => fake.reset());

describe('claimSingleInstance', () => {
  it('quits when another instance holds the lock', () => {
    fake.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(claimSingleInstance(() => null)).toBe(false);
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.app.listenerCount('second-instance')).toBe(0);
  });

  it('keeps the lock and brings its window forward when a second instance starts', () => {
    const win = new FakeBrowserWindow({});
    win.isMinimized.mockReturnValue(true);
    expect(claimSingleInstance(() => win as never)).toBe(true);
    expect(fake.app.quit).not.toHaveBeenCalled();
    fake.app.emit('second-instance', {}, ['rvm-kiosk'], '/');
    expect(win.restore).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('ignores a second instance before the window exists', () => {
    claimSingleInstance(() => null);
    expect(() => fake.app.emit('second-instance', {}, [], '/')).not.toThrow();
  });
});

describe('keepDisplayAwake', () => {
  it('blocks display sleep and releases the blocker when asked', () => {
    const release = keepDisplayAwake();
    expect(fake.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    release();
    expect(fake.powerSaveBlocker.stop).toHaveBeenCalledWith(7);
  });
});

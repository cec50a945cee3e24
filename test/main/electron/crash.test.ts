import { describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { CrashLoopGuard } = await import('../../../main/electron/crash-loop-guard.js');
const { setupCrashRecovery } = await import('../../../main/electron/crash.js');

const policy = { windowMs: 60_000, immediateRestarts: 2, baseDelayMs: 1_000, maxDelayMs: 8_000 };

describe('CrashLoopGuard', () => {
  it('restarts the first crashes at once, then backs off doubling up to the cap', () => {
    let now = 0;
    const guard = new CrashLoopGuard(policy, () => now);
    const delays = Array.from({ length: 7 }, () => {
      now += 100;
      return guard.recordCrash();
    });
    expect(delays).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const guard = new CrashLoopGuard(policy, () => now);
    for (let i = 0; i < 4; i++) guard.recordCrash();
    now += policy.windowMs + 1;
    expect(guard.recordCrash()).toBe(0);
    expect(guard.recentCrashes).toBe(1);
  });
});

/** A scheduler the test runs by hand, so no real time passes. */
function manualScheduler() {
  const pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  return {
    pending,
    schedule: (fn: () => void, ms: number) => {
      const task = { fn, ms, cancelled: false };
      pending.push(task);
      return task;
    },
    cancel: (task: unknown) => void ((task as { cancelled: boolean }).cancelled = true),
    runAll: () => pending.splice(0).forEach((t) => !t.cancelled && t.fn()),
  };
}

describe('setupCrashRecovery', () => {
  it('reloads the page after the renderer dies, paced by the guard', () => {
    const win = new FakeBrowserWindow({});
    const clock = manualScheduler();
    setupCrashRecovery(win as never, { guard: new CrashLoopGuard(policy, () => 0), ...clock });
    const gone = (reason: string) => win.webContents.emit('render-process-gone', {}, { reason, exitCode: 139 });

    gone('crashed');
    gone('oom');
    gone('crashed');
    expect(clock.pending.map((t) => t.ms)).toEqual([0, 0, 1_000]);
    expect(win.webContents.reload).not.toHaveBeenCalled();
    clock.runAll();
    expect(win.webContents.reload).toHaveBeenCalledTimes(3);
  });

  it('does not touch a window that was destroyed meanwhile', () => {
    const win = new FakeBrowserWindow({});
    const clock = manualScheduler();
    setupCrashRecovery(win as never, clock);
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    win.isDestroyed.mockReturnValue(true);
    clock.runAll();
    expect(win.webContents.reload).not.toHaveBeenCalled();
  });

  it('crashes a page that stays unresponsive past the grace period, but not one that recovers', () => {
    const win = new FakeBrowserWindow({});
    const clock = manualScheduler();
    setupCrashRecovery(win as never, { hangGraceMs: 30_000, ...clock });

    win.emit('unresponsive');
    win.emit('responsive');
    clock.runAll();
    expect(win.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();

    win.emit('unresponsive');
    win.emit('unresponsive'); // repeated notices must not stack timers
    expect(clock.pending).toHaveLength(1);
    expect(clock.pending[0]!.ms).toBe(30_000);
    clock.runAll();
    expect(win.webContents.forcefullyCrashRenderer).toHaveBeenCalledOnce();
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { decideGpu, setupGpu, EGL_SWITCHES } = await import('../../../main/electron/gpu.js');
const { EMPTY_GPU_STATE, openGpuStateStore } = await import('../../../main/electron/gpu-state.js');

const stateFile = path.join(fake.userData(), 'gpu-state.json');
const switches = () => fake.app.commandLine.appendSwitch.mock.calls.map((c) => c.join('='));
const gpuGone = (reason: string) =>
  fake.app.emit('child-process-gone', {}, { type: 'GPU', reason, exitCode: 139, serviceName: 'GPU', name: 'GPU' });

beforeEach(() => {
  fake.reset();
  writeFileSync(stateFile, '{}');
  vi.stubEnv('INVOCATION_ID', '');
});
afterAll(() => fake.cleanup());

describe('decideGpu', () => {
  const v = '1.0.0';
  it('uses the GPU by default and never when configured off', () => {
    expect(decideGpu('auto', EMPTY_GPU_STATE, v).hardware).toBe(true);
    expect(decideGpu('off', EMPTY_GPU_STATE, v).hardware).toBe(false);
  });

  it('stays in software after a recorded fallback for the same version and mode', () => {
    const previous = { ...EMPTY_GPU_STATE, softwareFallback: true, reason: 'GPU process crashed', mode: 'auto' as const, appVersion: v };
    expect(decideGpu('auto', previous, v)).toMatchObject({ hardware: false, reason: 'software fallback: GPU process crashed' });
    // A new version or another setting tries the GPU again.
    expect(decideGpu('auto', previous, '1.0.1').hardware).toBe(true);
    expect(decideGpu('egl', previous, v).hardware).toBe(true);
  });

  it('falls back when the previous GPU start never reached its first paint', () => {
    const previous = { ...EMPTY_GPU_STATE, pendingGpuStart: true, mode: 'egl' as const, appVersion: v };
    const decision = decideGpu('egl', previous, v);
    expect(decision.hardware).toBe(false);
    expect(decision.state).toMatchObject({ softwareFallback: true, pendingGpuStart: false });
  });
});

describe('setupGpu', () => {
  it('disables hardware acceleration for "off" and always asks for X11 on Linux', () => {
    setupGpu('off', openGpuStateStore(), 'linux');
    expect(fake.app.disableHardwareAcceleration).toHaveBeenCalled();
    expect(switches()).toEqual(['ozone-platform=x11']);
  });

  it('passes the EGL switches for "egl" and keeps acceleration on', () => {
    setupGpu('egl', openGpuStateStore(), 'linux');
    expect(fake.app.disableHardwareAcceleration).not.toHaveBeenCalled();
    expect(switches()).toEqual(['ozone-platform=x11', ...EGL_SWITCHES.map((s) => s.join('='))]);
  });

  it('does not force X11 off Linux', () => {
    setupGpu('auto', openGpuStateStore(), 'darwin');
    expect(switches()).toEqual([]);
  });

  it('persists a software fallback after a GPU process crash and restarts into it', () => {
    const first = setupGpu('auto', openGpuStateStore(), 'linux');
    expect(first.decision.hardware).toBe(true);
    gpuGone('crashed');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ softwareFallback: true, reason: 'GPU process crashed (exit 139)' });
    expect(fake.app.relaunch).toHaveBeenCalled();
    expect(fake.app.exit).toHaveBeenCalledWith(0);

    fake.reset();
    const second = setupGpu('auto', openGpuStateStore(), 'linux');
    expect(second.decision.hardware).toBe(false);
    expect(fake.app.disableHardwareAcceleration).toHaveBeenCalled();
    gpuGone('crashed'); // a crash in software mode would not be fixed by another restart
    expect(fake.app.relaunch).not.toHaveBeenCalled();
  });

  it('under systemd exits and lets the unit restart it instead of relaunching itself', () => {
    vi.stubEnv('INVOCATION_ID', 'abc123');
    setupGpu('auto', openGpuStateStore(), 'linux');
    gpuGone('launch-failed');
    expect(fake.app.relaunch).not.toHaveBeenCalled();
    expect(fake.app.exit).toHaveBeenCalledWith(75);
  });

  it('ignores other processes and clean GPU exits', () => {
    setupGpu('auto', openGpuStateStore(), 'linux');
    fake.app.emit('child-process-gone', {}, { type: 'Utility', reason: 'crashed', exitCode: 1 });
    gpuGone('clean-exit');
    expect(fake.app.exit).not.toHaveBeenCalled();
  });

  it('treats a start that dies before the first paint as a GPU failure at the next start', () => {
    const first = setupGpu('auto', openGpuStateStore(), 'linux');
    first.watchFirstPaint(new FakeBrowserWindow({}) as never); // ...and the process dies here
    fake.reset();
    expect(setupGpu('auto', openGpuStateStore(), 'linux').decision.hardware).toBe(false);
  });

  it('keeps the GPU when the window painted', () => {
    const first = setupGpu('auto', openGpuStateStore(), 'linux');
    const win = new FakeBrowserWindow({});
    first.watchFirstPaint(win as never);
    win.emit('ready-to-show');
    fake.reset();
    expect(setupGpu('auto', openGpuStateStore(), 'linux').decision.hardware).toBe(true);
  });

  it('survives a damaged state file', () => {
    writeFileSync(stateFile, '{"softwareFallback": "yes", ');
    expect(setupGpu('auto', openGpuStateStore(), 'linux').decision.hardware).toBe(true);
  });
});

/**
 * The confidence threshold, live (src/app/threshold-sync.ts), against the server simulator over loopback:
 * with the designed `rvms/{id}/config` the server's value arrives after the handshake, follows `config_update`
 * over realtime (or a poll without realtime), and a technician's change is PATCHed to it; on today's server
 * (designed off) nothing is read twice, nothing polled, and a technician's change applies on this machine only.
 * The classifier is a small stand-in with DetectionService's precedence (server > technician > manifest).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { DetectionClassifier } from '../../src/app/setup-detection.js';
import { wireThreshold } from '../../src/app/threshold-sync.js';
import type { DetectionState } from '../../src/contract/detection.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { setLogLevel } from '../../src/log/logger.js';
import { testContext } from '../helpers/context.js';
import { eventually } from '../helpers/eventually.js';
import { captureLogs, cleanupServerSims, makeLink, startSim, type ServerSimulator } from '../helpers/server-sim.js';

type State = import('zod').output<typeof DetectionState>;

function standIn() {
  let server: number | null = null;
  let local: number | null = null;
  const saved: Array<number | null> = [];
  const state = (): State => ({
    status: 'ready',
    model: null,
    camera: { kind: 'folder', status: 'ok' },
    lastInferenceMs: null,
    modelLoadMs: null,
    threshold: server ?? local ?? 0.5,
    thresholdSource: server !== null ? 'server' : local !== null ? 'technician' : 'manifest',
    canRollback: false,
    modelSync: { phase: 'idle', targetVersion: null, receivedBytes: 0, totalBytes: null },
  });
  const classifier: DetectionClassifier = {
    classify: async () => ({ accepted: false, reason: 'nothing_seen', confidence: 0, detections: [] }),
    offerModel: () => undefined,
    setThreshold: (value) => void (server = value),
    setLocalThreshold: async (value) => {
      saved.push(value);
      local = value;
    },
    state,
  };
  return { classifier, saved, state };
}

const maintenanceState = (permissions: Record<string, boolean> | null) => ({ active: true, technicianName: 'Teknisi', lockedUntil: null, remainingAttempts: null, autoExitAt: null, permissions });

async function rig(sim: ServerSimulator, { realtime = true, permissions = null as Record<string, boolean> | null } = {}) {
  const core = new KioskCore();
  const ctx = testContext(kioskConfig.parse({ server: { rvmConfigPollMs: 60_000 } }), { core });
  core.handle('maintenance.status', () => maintenanceState(permissions));
  // The link's own kiosk-config poll is set far out, so advancing fake intervals moves only the threshold's.
  const { link } = makeLink(sim, { configPollMs: 4 * 3_600_000, ...(realtime ? {} : { realtime: { appKey: '' } }) }, { bus: ctx.bus });
  const paths: string[] = [];
  link.client.onExchange(({ path, status }) => paths.push(`${path} ${status}`));
  // Counted at the call (synchronous), so "no read after advancing the clock" is not a race with the reply.
  const reads = vi.spyOn(link.designed, 'rvmConfig');
  const fake = standIn();
  wireThreshold(ctx, link, fake.classifier);
  link.start();
  await eventually(() => link.handshakeInfo !== null, { what: 'the handshake' });
  return { core, link, paths, ...fake, configReads: () => reads.mock.calls.length };
}

afterEach(async () => {
  vi.useRealTimers();
  setLogLevel('warn');
  await cleanupServerSims();
});

describe('threshold with the designed rvms/{id}/config (simulator, designed on)', () => {
  it('arrives after the handshake, follows config_update (with and without a value), and takes a technician PATCH', async () => {
    const sim = await startSim({ confidenceThreshold: 0.65 });
    const r = await rig(sim);
    await eventually(() => r.state().threshold === 0.65 && r.state().thresholdSource === 'server', { what: "the server's threshold after the handshake" });
    await eventually(() => r.link.state.get().realtime === 'realtime', { what: 'realtime subscribed' });

    // A dashboard change announced with its value: applied without a request.
    const reads = r.configReads();
    expect(sim.publish('config_update', { confidence_threshold: 0.7 })).toBe(1);
    await eventually(() => r.state().threshold === 0.7, { what: 'the threshold from config_update' });
    expect(r.configReads()).toBe(reads);
    // Announced without a value: read again.
    sim.state.confidenceThreshold = 0.55;
    sim.publish('config_update', {});
    await eventually(() => r.state().threshold === 0.55, { what: 'the threshold read again after a bare config_update' });
    expect(r.configReads()).toBe(reads + 1);

    // The technician: applied here, saved there (the server's next read agrees).
    const reply = await r.core.call('detection.setThreshold', { value: 0.6 });
    expect(reply).toMatchObject({ server: 'saved', state: { threshold: 0.6, thresholdSource: 'server' } });
    expect(sim.state.confidenceThreshold).toBe(0.6);
    expect(r.saved).toEqual([0.6]);
    expect(r.paths).toContain(`/api/v2/rvms/${sim.machineId}/config 200`);
  });

  it('with realtime up, the config is not polled', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const sim = await startSim({ confidenceThreshold: 0.65 });
    const r = await rig(sim);
    await eventually(() => r.link.state.get().realtime === 'realtime' && r.configReads() === 1, { what: 'realtime and the first read' });
    vi.advanceTimersByTime(3 * 60_000);
    expect(r.configReads()).toBe(1);
  });

  it('without realtime, the config is polled every rvmConfigPollMs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const sim = await startSim({ confidenceThreshold: 0.65, realtime: false });
    const r = await rig(sim, { realtime: false });
    await eventually(() => r.state().threshold === 0.65, { what: 'the first read' });
    sim.state.confidenceThreshold = 0.45;
    vi.advanceTimersByTime(59_000);
    expect(r.configReads()).toBe(1);
    vi.advanceTimersByTime(1_000);
    await eventually(() => r.state().threshold === 0.45, { what: 'the polled threshold' });
    expect(r.configReads()).toBe(2);
  });

  it('refuses an out-of-range value with a code, and a technician the server named without update_config', async () => {
    const sim = await startSim();
    const r = await rig(sim, { permissions: { view_logs: true, update_config: false } });
    await expect(r.core.call('detection.setThreshold', { value: 0.99 })).rejects.toMatchObject({ reason: 'threshold_out_of_range' });
    await expect(r.core.call('detection.setThreshold', { value: 0.01 })).rejects.toMatchObject({ reason: 'threshold_out_of_range' });
    await expect(r.core.call('detection.setThreshold', { value: 0.6 })).rejects.toMatchObject({ reason: 'forbidden' });
    expect(r.saved).toEqual([]);
  });
});

describe("threshold on today's server (simulator, designed off)", () => {
  it('reads once (404 switches the family off), never polls, and a technician change applies here only', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const logs = captureLogs();
    const sim = await startSim({ designed: false, realtime: false });
    const r = await rig(sim, { realtime: false });
    await eventually(() => r.link.designed.state().rvmConfig === 'absent', { what: 'rvmConfig switched off' });
    vi.advanceTimersByTime(60 * 60_000);
    expect(r.configReads()).toBe(1);
    expect(r.state()).toMatchObject({ threshold: 0.5, thresholdSource: 'manifest' });

    const reply = await r.core.call('detection.setThreshold', { value: 0.62 });
    expect(reply).toMatchObject({ server: 'not_offered', state: { threshold: 0.62, thresholdSource: 'technician' } });
    expect(r.configReads()).toBe(1);
    expect(r.paths.filter((p) => p.includes('PATCH') || /config 4\d\d/.test(p))).toHaveLength(1);
    // The one 404 is logged once, as every request outcome is; nothing after it.
    expect(logs.lines.filter((l) => (l.level === 'warn' || l.level === 'error') && JSON.stringify(l.fields ?? {}).includes('/config'))).toHaveLength(1);
    // Dropping the machine's own value goes back to the model default.
    expect(await r.core.call('detection.setThreshold', { value: null })).toMatchObject({ state: { thresholdSource: 'manifest' } });
  });
});

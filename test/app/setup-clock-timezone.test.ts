/**
 * The designed timezone sync end to end: core + clock + a real ServerLink over loopback HTTP and realtime to
 * the simulator. With the designs: automatic after the handshake, the technician's command, the dashboard's
 * timezone_update, figures in clock.state that survive a restart. Without (today's server): one probe per
 * spelling, then silence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { setupClock, setupTimezoneSync } from '../../src/app/setup-clock.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { testContext } from '../helpers/context.js';
import { eventually } from '../helpers/eventually.js';
import { captureLogs, cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';

const cores: KioskCore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  await cleanupServerSims();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function kiosk(dataDir: string) {
  const core = new KioskCore();
  cores.push(core);
  const ctx = testContext(kioskConfig.parse({ dataDir, timezone: 'Asia/Makassar', clock: { timezoneSync: { minIntervalMs: 1_000 } } }), { core });
  return { core, ctx, clock: setupClock(ctx) };
}

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tz-sync-'));
  dirs.push(dir);
  return dir;
}

it('with the designs: synced after the handshake, by the technician, and on the dashboard\'s timezone_update; figures survive a restart', async () => {
  let simNow = Date.now();
  const sim = await startSim({ now: () => simNow });
  const dataDir = tmp();
  const { core, ctx, clock } = kiosk(dataDir);
  const { link } = makeLink(sim, {}, { bus: ctx.bus });
  setupTimezoneSync(ctx, clock, link);
  link.start();

  // Automatic, once the handshake is in.
  await eventually(() => core.current('clock.state')?.sync.timezoneSync?.successes === 1, { what: 'the automatic sync' });
  expect(sim.state.timezoneSyncs).toMatchObject([{ spelling: 'slash', method: 'automatic', timezone: 'Asia/Makassar' }]);
  await eventually(() => core.current('clock.state')?.sync.timezoneSync?.server?.syncCount === 1, { what: 'the status read' });
  expect(core.current('clock.state')).toMatchObject({ timezone: 'Asia/Makassar', sync: { zoneSource: 'timezone_sync', timezoneSync: { availability: 'available', spelling: 'slash', successRate: 1, country: 'Indonesia', city: 'Makassar' } } });

  // The technician right after: the once-a-minute pace answers "too soon", nothing is sent.
  const early = await core.call('clock.syncTimezone', {});
  expect(early.outcome).toBe('too_soon');
  expect(sim.state.timezoneSyncs).toHaveLength(1);

  // The dashboard's "Sync timezone" with a new zone: shown at once, reported back once the pace allows.
  await eventually(() => link.state.get().realtime === 'realtime', { what: 'realtime subscribed' });
  simNow += 61_000; // the server's own one-a-minute window has passed
  const pushed = await fetch(`${sim.url}/__sim/timezone-update`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ timezone: 'Asia/Jayapura' }) });
  expect(await pushed.json()).toEqual({ sent: 1 });
  await eventually(() => core.current('clock.state')?.timezone === 'Asia/Jayapura', { what: 'the pushed zone on the clock' });
  expect(core.current('clock.state')?.abbreviation).toBe('WIT');
  await eventually(() => sim.state.timezoneSyncs.length === 2, { what: 'the sync after timezone_update' });
  expect(sim.state.timezoneSyncs[1]).toMatchObject({ timezone: 'Asia/Jayapura', method: 'manual', spelling: 'slash' });
  await eventually(() => core.current('clock.state')?.sync.timezoneSync?.successes === 2, { what: 'the second success' });

  // The older command the server panel calls answers from the same syncer.
  simNow += 61_000;
  await eventually(async () => (await core.call('server.syncTimezone', { manual: true })).message === 'synced', { what: 'a manual sync allowed again' });
  expect(sim.state.timezoneSyncs.at(-1)).toMatchObject({ method: 'manual' });

  // Restart: zone, changes, figures and the spelling come back from <dataDir>/clock.
  await link.stop();
  await core.dispose();
  const again = kiosk(dataDir);
  setupTimezoneSync(again.ctx, again.clock, null);
  expect(again.core.current('clock.state')).toMatchObject({
    timezone: 'Asia/Jayapura',
    sync: { zoneSource: 'timezone_sync', zoneChanges: 1, timezoneSync: { successes: 3, failures: 0, spelling: 'slash', lastMethod: 'manual' } },
  });
  expect((await again.core.call('clock.syncTimezone', {})).outcome).toBe('unconfigured');
});

it("on today's MyRVM-Server: one probe per spelling after the handshake, then nothing, and the technician is told it is not offered", async () => {
  const sim = await startSim({ designed: false });
  const logs = captureLogs();
  const { core, ctx, clock } = kiosk(tmp());
  const { link } = makeLink(sim, {}, { bus: ctx.bus });
  setupTimezoneSync(ctx, clock, link);
  link.start();
  await eventually(() => core.current('clock.state')?.sync.timezoneSync?.availability === 'absent', { what: 'the feature switched off' });
  for (let i = 0; i < 3; i += 1) {
    expect((await core.call('clock.syncTimezone', {})).outcome).toBe('unsupported');
    expect(await core.call('server.syncTimezone', { manual: true })).toMatchObject({ supported: false });
    await link.testConnection(); // another handshake: no new probe
  }
  ctx.bus.emit('server.timezoneRequest', { timezone: null });
  expect(sim.state.hitsOn('/api/v2/timezone/sync')).toBe(1);
  expect(sim.state.hitsOn('/api/v2/timezone-sync')).toBe(1);
  expect([...sim.state.hits.keys()].filter((p) => p.includes('timezone') && p.includes('status'))).toEqual([]);
  expect(core.current('clock.state')?.sync.timezoneSync).toMatchObject({ successes: 0, failures: 0, successRate: null, nextAutoAt: null, lastError: null });
  const timezoneLines = logs.lines.filter((l) => l.scope === 'clock' || (l.scope === 'server.designed' && JSON.stringify(l.fields).includes('timezone')));
  expect(timezoneLines).toHaveLength(1);
});

import { afterEach, beforeEach, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { setupMaintenance } from '../../src/app/setup-maintenance.js';
import { setupTechnician } from '../../src/app/setup-technician.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import type { AuditLog } from '../../src/maintenance/audit-log.js';
import type { PinVerifier } from '../../src/maintenance/pin-verifier.js';
import { authenticatePin } from '../../src/server/pin-auth.js';
import { testContext } from '../helpers/context.js';
import { eventually } from '../helpers/eventually.js';
import { makeTempDir } from '../helpers/outbox.js';
import { cleanupServerSims, makeClient, startSim, type ServerSimulator } from '../helpers/server-sim.js';

let ctx: KioskContext;
let dataDir: string;
let cleanup: () => Promise<void>;
let sim: ServerSimulator;
let client: ReturnType<typeof makeClient>['client'];
const simulated: unknown[] = [];

beforeEach(async () => {
  ({ dir: dataDir, cleanup } = await makeTempDir('rvm-tech-'));
  sim = await startSim();
  client = makeClient(sim).client;
  simulated.length = 0;
  ctx = newContext();
});
afterEach(async () => {
  await ctx.core.dispose();
  await cleanupServerSims();
  await cleanup();
});

const counters = { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, malformed: 0, naks: 0, timeouts: 0, retries: 0, reconnects: 0, staleReplies: 0, missedFrames: 0 };
const level = { percent: 10, full: false };
const HARDWARE_STATUS = {
  link: { status: 'connected' as const, since: 0, port: null, transport: 'in-process' as const, dialect: 'rvm1' as const, firmware: null, attempts: 0, lastError: null, simulated: true, counters },
  bins: { thresholdPercent: 90, bins: { plastic: level, can: level, glass: level, reject: level }, updatedAt: null },
  door: null,
  temperatureC: null,
  itemPresent: false,
  faults: [],
};

/** A core with stand-ins for the hardware feature's commands (the technician commands call through them). */
function newContext(): KioskContext {
  const c = testContext(kioskConfig.parse({ dataDir }), { core: new KioskCore() });
  c.core.handle('hardware.test', ({ action }) => ({ action, ok: true, roundTripMs: 1, detail: '1 command acknowledged' }));
  c.core.handle('hardware.status', () => ({ ...HARDWARE_STATUS, weightGrams: 0 }));
  c.core.handle('hardware.simulateFault', (request) => {
    simulated.push(request);
    return { fault: request.fault, active: request.active ?? true };
  });
  c.status.markStarted();
  return c;
}

async function start(verifyPin: PinVerifier = (pin) => authenticatePin(client, pin)): Promise<AuditLog> {
  const maintenance = await setupMaintenance(ctx, { verifyPin });
  return setupTechnician(ctx, { maintenance, client });
}

/** Dispatch as the technician's screen would (the hosts name each connection). */
async function screen(name: string, payload: unknown = {}) {
  return ctx.core.dispatch({ type: 'command', id: 1, name, payload }, { connectionId: 'screen-1' });
}

it('refuses technician actions to a screen outside maintenance mode', async () => {
  await start();
  expect(await screen('technician.tare')).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
  expect(await screen('technician.audit')).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
});

it('records who did what, reports what the server knows, and keeps it across a restart', async () => {
  const audit = await start();
  expect(await screen('maintenance.enter', { pin: '000000' })).toMatchObject({ ok: true, result: { ok: false } });
  expect(await screen('maintenance.enter', { pin: sim.pin })).toMatchObject({ ok: true, result: { ok: true } });
  expect(ctx.core.current('maintenance.state')?.permissions).toMatchObject({ test_hardware: true });

  expect(await screen('technician.restartApp')).toMatchObject({ ok: true, result: { ok: true } });
  expect(await screen('hardware.test', { action: 'door_unlock' })).toMatchObject({ ok: true });
  expect(await screen('technician.tare')).toMatchObject({ ok: true, result: { ok: true, weightGrams: 0 } });

  // open_door is a server command: reported once the simulator said success. reboot_edge is always 403 there.
  const door = await eventually(() => audit.list().find((e) => e.action === 'hardware_test' && e.reported) ?? false, { what: 'the door test reported' });
  expect(door).toMatchObject({ technicianName: sim.state.assignments[0]!.technicianName, assignmentId: sim.state.assignments[0]!.id, detail: { test: 'door_unlock' }, result: 'ok' });
  const actions = audit.list().map((e) => [e.action, e.result, e.reported]);
  expect(actions).toEqual([
    ['tare', 'ok', false],
    ['hardware_test', 'ok', true],
    ['restart_app', 'ok', false],
    ['maintenance_enter', 'ok', false],
    ['maintenance_refused', 'refused', false],
  ]);

  await screen('maintenance.exit');
  await eventually(() => audit.list()[0]?.action === 'maintenance_exit', { what: 'the exit recorded' });
  await ctx.core.dispose();
  ctx = newContext();
  const reopened = await start();
  await screen('maintenance.enter', { pin: sim.pin });
  await eventually(() => reopened.list()[0]?.action === 'maintenance_enter', { what: 'the second entry recorded' });
  const listed = await screen('technician.audit', { limit: 3 });
  expect(listed).toMatchObject({ ok: true, result: { entries: [{ action: 'maintenance_enter' }, { action: 'maintenance_exit' }, { action: 'tare' }] } });
  expect(reopened.list().find((e) => e.action === 'hardware_test')?.reported).toBe(true);
});

it('asks the controller path for the bin, and lifts the gate refusal of that bin', async () => {
  await start();
  await screen('maintenance.enter', { pin: sim.pin });
  ctx.status.availability.refuseBin('glass');
  const before = JSON.stringify(ctx.status.availability.of('glass'));
  expect(await screen('technician.binEmptied', { bin: 'glass' })).toMatchObject({ ok: true, result: { ok: true } });
  expect(simulated).toEqual([{ fault: 'bin_full', bin: 'glass', active: false }]);
  expect(JSON.stringify(ctx.status.availability.of('glass'))).not.toBe(before);
});

it('refuses, and audits as refused, what the server did not permit; offline entry allows all', async () => {
  let permissions: Record<string, boolean> | undefined = { test_hardware: false };
  const audit = await start(async () => ({ kind: 'ok', technicianName: 'Sari', assignmentId: 1, ...(permissions ? { permissions } : {}) }));
  await screen('maintenance.enter', { pin: '123456' });
  expect(await screen('technician.tare')).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
  expect(await screen('technician.binEmptied', { bin: 'can' })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
  expect(audit.list()[0]).toMatchObject({ action: 'bin_emptied', result: 'refused', technicianName: 'Sari', detail: { permission: 'test_hardware' } });

  await screen('maintenance.exit');
  permissions = undefined; // an offline PIN: no map at all
  await screen('maintenance.enter', { pin: '123456' });
  expect(ctx.core.current('maintenance.state')?.permissions).toBeNull();
  expect(await screen('technician.tare')).toMatchObject({ ok: true });
});

it('retries a report that met a server outage when the server is back', async () => {
  const audit = await start();
  await screen('maintenance.enter', { pin: sim.pin });
  sim.outage(60_000, '503');
  await screen('hardware.test', { action: 'lights' });
  const entry = await eventually(() => audit.list().find((e) => e.action === 'hardware_test') ?? false, { what: 'the test recorded' });
  sim.outage(0);
  ctx.bus.emit('server.online', { at: Date.now() });
  await eventually(() => audit.get(entry.id)?.reported === true, { what: 'the report after the outage' });
});

it('tells the system facts a technician asks for', async () => {
  await start();
  await screen('maintenance.enter', { pin: sim.pin });
  const reply = await screen('technician.systemInfo');
  expect(reply).toMatchObject({ ok: true, result: { node: process.version, dataDir, coreVersion: expect.any(String), version: expect.any(String) } });
});

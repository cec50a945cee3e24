/**
 * The server: reachable (any HTTP answer), the handshake accepted with this machine's credentials, and the
 * heartbeat's verdict — accepted means commissioned (an active technician assignment), 403 means not yet.
 * Every reply's time (the heartbeat's server_time, else the Date header) gives the clock offset. In
 * simulator mode the server simulator is started on loopback and checked the same way.
 */
import { ApiClient } from '../../server/api-client.js';
import type { ServerConfig } from '../../server/config.js';
import { parseCredentials, type RvmCredentials } from '../../server/credentials.js';
import { DeviceReport } from '../../server/device-report.js';
import { handshakeOnce } from '../../server/handshake-runner.js';
import { beatOnce } from '../../server/heartbeat-loop.js';
import { createHttpTransport } from '../../server/http/transport.js';
import { startServerSimulator, type ServerSimulator } from '../../server/simulator/server-simulator.js';
import { sampleFromReply, type ServerTimeSample } from '../../server/time-samples.js';
import { CORE_VERSION } from '../setup-system.js';
import { IMPORT_FIX } from './check-credentials.js';
import { errorText, fail, ok, skip, warn, type CheckResult, type DoctorContext } from './types.js';

const REACH = { id: 'server', title: 'server reachable' } as const;
const HANDSHAKE = { id: 'handshake', title: 'handshake' } as const;
const HEARTBEAT = { id: 'heartbeat', title: 'heartbeat (commissioned)' } as const;
const CLOCK = { id: 'clock', title: 'clock offset' } as const;
/** A doctor run should not sit out the kiosk's long request timeout per call. */
const MAX_REQUEST_MS = 8_000;

export async function checkServer(ctx: DoctorContext, credentials: RvmCredentials | null): Promise<CheckResult[]> {
  const server = ctx.config.server;
  if (server.mode === 'simulator') {
    let sim: ServerSimulator;
    try {
      sim = await startServerSimulator({ host: server.simulator.host, port: 0, machineName: ctx.config.machineName, realtime: false });
    } catch (err) {
      return [fail(REACH.id, REACH.title, `server simulator did not start: ${errorText(err)}`, 'check that loopback networking works'), ...skipped('no server')];
    }
    try {
      return await probe(ctx, sim.url, parseCredentials(sim.credentials, 'simulator'), 'simulator ');
    } finally {
      await sim.close();
    }
  }
  if (!server.url) {
    return [fail(REACH.id, REACH.title, 'no server URL configured', 'set server.url (or RVM__server__url) to the MyRVM server, e.g. https://myrvm.example.org'), ...skipped('no server URL')];
  }
  return probe(ctx, server.url, credentials, '');
}

function skipped(why: string): CheckResult[] {
  return [skip(HANDSHAKE.id, HANDSHAKE.title, why), skip(HEARTBEAT.id, HEARTBEAT.title, why), skip(CLOCK.id, CLOCK.title, why)];
}

async function probe(ctx: DoctorContext, baseUrl: string, credentials: RvmCredentials | null, label: string): Promise<CheckResult[]> {
  const config: ServerConfig = ctx.config.server;
  const timeoutMs = Math.min(config.requestTimeoutMs, MAX_REQUEST_MS);
  const transport = createHttpTransport({ maxSockets: 2 });
  const samples: ServerTimeSample[] = [];
  const rows: CheckResult[] = [];
  try {
    // Reachable: any HTTP answer from the server's root counts, whatever its status.
    const root = baseUrl.trim().replace(/\/+$/, '').replace(/\/api(\/v1)?$/, '');
    const started = performance.now();
    const sentAt = Date.now();
    try {
      const res = await transport.send({ method: 'GET', url: `${root}/`, headers: { Accept: 'application/json', 'User-Agent': 'rvm-kiosk-doctor' }, timeoutMs });
      const ms = Math.round(performance.now() - started);
      const sample = sampleFromReply(undefined, res.headers['date'], sentAt, Date.now());
      if (sample) samples.push(sample);
      rows.push(ok(REACH.id, REACH.title, `${label}${root} answered HTTP ${res.status} in ${ms} ms`, ms));
    } catch (err) {
      rows.push(fail(REACH.id, REACH.title, `${label}${root}: ${errorText(err)}`, `check server.url and this machine's network (curl -I ${root}); until it is reachable the kiosk keeps credits offline`));
      return [...rows, ...skipped('server not reachable')];
    }

    if (!credentials) return [...rows, skip(HANDSHAKE.id, HANDSHAKE.title, `no credentials (${IMPORT_FIX})`), skip(HEARTBEAT.id, HEARTBEAT.title, 'no credentials'), clockRow(samples, ctx)];

    const client = new ApiClient({ baseUrl, credentials, transport, retry: { attempts: 1, factor: 2, firstDelayMs: 0, capMs: 0 }, timeoutMs });
    client.onTimeSample((s) => samples.push(s));
    const report = new DeviceReport({ hardwareId: config.hardwareId || credentials.serialNumber, fallbackName: credentials.name, timezone: ctx.config.timezone, version: CORE_VERSION, dataDir: ctx.config.dataDir });
    const hs = await handshakeOnce(client, report.handshake());
    if (hs.kind !== 'ok') {
      const fix =
        hs.kind === 'unauthorized'
          ? `the server does not know this key: export rvm-credentials.json for ${credentials.serialNumber} again and ${IMPORT_FIX.slice(IMPORT_FIX.indexOf('rvm-kiosk'))} --force`
          : hs.kind === 'blocked'
            ? 'the server has blocked this machine: unblock it on the admin page'
            : hs.kind === 'offline'
              ? 'the server is reachable but did not complete the handshake: try again, and check the server\'s logs'
              : 'the server refused what this kiosk sends: check that the kiosk and server versions match';
      rows.push(fail(HANDSHAKE.id, HANDSHAKE.title, `refused (${hs.kind}${hs.status ? `, HTTP ${hs.status}` : ''}): ${hs.message}`, fix));
      return [...rows, skip(HEARTBEAT.id, HEARTBEAT.title, 'no handshake'), clockRow(samples, ctx)];
    }
    client.setMachineUuid(hs.info.uuid);
    rows.push(ok(HANDSHAKE.id, HANDSHAKE.title, `accepted for ${credentials.serialNumber}: machine ${hs.info.name ?? hs.info.uuid} (id ${hs.info.rvmId}), zone ${hs.info.timezone}`));

    const hb = await beatOnce(client, report.heartbeat());
    if (hb.kind === 'ok') rows.push(ok(HEARTBEAT.id, HEARTBEAT.title, 'accepted: the machine is commissioned'));
    else if (hb.kind === 'not_commissioned') rows.push(fail(HEARTBEAT.id, HEARTBEAT.title, `not commissioned: ${hb.message}`, 'on the server\'s admin page, give this machine an active technician assignment (commissioning); until then the server refuses its heartbeats'));
    else if (hb.kind === 'blocked') rows.push(fail(HEARTBEAT.id, HEARTBEAT.title, `blocked: ${hb.message}`, 'unblock the machine on the server\'s admin page'));
    else rows.push(fail(HEARTBEAT.id, HEARTBEAT.title, `${hb.kind}: ${hb.message}`, hb.kind === 'unauthorized' ? IMPORT_FIX : 'try again; check the server\'s logs'));
    return [...rows, clockRow(samples, ctx)];
  } finally {
    await transport.close();
  }
}

/** The offset of the best sample (shortest round trip, body time before the Date header). */
function clockRow(samples: ServerTimeSample[], ctx: DoctorContext): CheckResult {
  if (samples.length === 0) return skip(CLOCK.id, CLOCK.title, 'the server sent no time (no Date header)');
  const best = [...samples].sort((a, b) => a.resolutionMs - b.resolutionMs || a.receivedAt - a.sentAt - (b.receivedAt - b.sentAt))[0]!;
  const rtt = best.receivedAt - best.sentAt;
  const offsetMs = best.serverTime - (best.sentAt + best.receivedAt) / 2;
  const uncertainty = Math.round(rtt / 2 + best.resolutionMs);
  const detail = `this machine is ${Math.abs(offsetMs) < 1 ? 'in step' : `${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'}`} the server (±${(uncertainty / 1000).toFixed(1)} s, from the ${best.source === 'body' ? 'reply\'s server_time' : 'Date header'})`;
  const beyond = Math.abs(offsetMs) - uncertainty;
  const data = { offsetMs: Math.round(offsetMs), uncertaintyMs: uncertainty };
  const fix = 'turn on time sync: sudo timedatectl set-ntp true (the kiosk shows the server\'s time meanwhile)';
  if (beyond > ctx.config.clock.driftAlarmMs) return { ...fail(CLOCK.id, CLOCK.title, `${detail}; over clock.driftAlarmMs`, fix), data };
  if (beyond > 2_000) return { ...warn(CLOCK.id, CLOCK.title, detail, fix), data };
  return { ...ok(CLOCK.id, CLOCK.title, detail), data };
}

/**
 * Fuzz, server family: every server-link request answered with seeded nonsense by a loopback front server —
 * damaged real replies (wrong types, missing fields, `__proto__` keys), odd statuses with odd Retry-After,
 * invalid JSON, a captive portal's HTML, empty bodies, 10 MB bodies, connection resets before and in the
 * middle of a reply, redirects home and to another origin — through the real ApiClient, endpoint clients,
 * deposit sender and model download, while the kiosk's own ServerLink and outbox meet the same nonsense in
 * the background. Every call must come back as a typed outcome (never a throw, never a hang) with a message;
 * the other origin must never see the API key or the machine UUID; Object.prototype stays clean; memory stays
 * flat; a 1-byte-per-second drip is cut by the configured timeout; and afterwards the link comes back online
 * and the machine completes a normal item whose credit reaches the server.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DownloadError, downloadResumable } from '../../src/detection/model-sync/download.js';
import { ModelSync } from '../../src/detection/model-sync/model-sync.js';
import { ModelStore } from '../../src/detection/model-store.js';
import type { CreditRecord } from '../../src/domain/ports.js';
import { ApiClient, type ApiResult } from '../../src/server/api-client.js';
import { serverConfig } from '../../src/server/config.js';
import { parseCredentials } from '../../src/server/credentials.js';
import { createDepositSender, type SendResult } from '../../src/server/deposit-sender.js';
import { DesignedEndpoints } from '../../src/server/endpoints/designed.js';
import { guestSession, kioskConfig, pinAuth, sessionToken } from '../../src/server/endpoints/kiosk.js';
import { handshake, heartbeat, telemetryCall } from '../../src/server/endpoints/edge.js';
import type { HandshakeRequest, HeartbeatRequest } from '../../src/server/schemas/edge.js';
import { createHttpTransport } from '../../src/server/http/transport.js';
import { ServerLink } from '../../src/server/server-link.js';
import { eventually } from '../helpers/eventually.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.js';
import { describeWithSocat } from '../helpers/pty.js';
import { fakeJpeg } from '../helpers/server-sim.js';
import { FAMILY_TIMEOUT_MS, fuzzCount, fuzzSeed, MemoryWatch, reportFamily, retainedHeapMiB, quietLogs, rng, settles, withSeed } from './fuzz-kit.js';
import { pathOf, startFrontServer, startFuzzMachine, type FrontServer, type FuzzMachine } from './fuzz-machine.js';
import { ALWAYS_BAD, drip, nonsense, pickKind, type NonsenseKind } from './server-nonsense.js';

const DELIVERY_PATHS = ['/api/v1/edge/deposit', '/api/v1/edge/sync-offline'];
const CASES = fuzzCount(120, 4_000);
const SEED = fuzzSeed(150_002);
/** The model the fuzz "announces": nothing the nonsense serves can hash to it. */
const ANNOUNCED_SHA256 = createHash('sha256').update('the real model').digest('hex');
/** The configured timeout the drip must be cut by (short, real timers). */
const DRIP_TIMEOUT_MS = 800;

const HANDSHAKE: HandshakeRequest = {
  hardware_id: 'fuzz-hw',
  name: 'Fuzz',
  ip_local: '127.0.0.1',
  ip_vpn: null,
  timezone: 'Asia/Jakarta',
  system: { firmware_version: '0.0.0-fuzz' },
  health_metrics: { cpu_usage_percent: 1, memory_usage_percent: 1, disk_usage_percent: 1 },
  hardware_info: { cameras: [], sensors: [], actuators: [], microcontroller: [] },
};
const HEARTBEAT: HeartbeatRequest = { hardware_id: 'fuzz-hw', status: 'online', version: '0.0.0-fuzz', bin_capacity: 0, health_metrics: HANDSHAKE.health_metrics, ip_local: '127.0.0.1' };

const credit = (id: string, image?: Buffer): CreditRecord => ({ id, sessionId: 's-fuzz', material: 'pet', points: 10, weightGrams: 24, confidence: 0.9, at: new Date().toISOString(), ...(image ? { image } : {}) });

/** A typed outcome with a message, whatever the call was. */
type Outcome = { ok: true } | { ok: false; kind: string; message: string };

const fromApi = (r: ApiResult<unknown>): Outcome => (r.ok ? { ok: true } : { ok: false, kind: r.kind, message: r.message });
const fromSend = (r: SendResult): Outcome => (r.kind === 'ok' ? { ok: true } : { ok: false, kind: r.kind, message: r.message });

describeWithSocat('fuzz: server replies', () => {
  let machine: FuzzMachine;
  /** The direct calls' own front: its requests come only from this test, so the seed alone decides every reply. */
  let front: FrontServer;
  let elsewhere: HostileServer;
  let link: ServerLink;
  let client: ApiClient;
  let tmp: string;
  let restoreLogs: () => void = () => undefined;

  beforeAll(async () => {
    restoreLogs = quietLogs(); // every nonsense reply is logged on purpose
    machine = await startFuzzMachine();
    front = await startFrontServer(machine.server);
    elsewhere = await startHostileServer();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'rvm-fuzz-dl-'));
    client = new ApiClient({
      baseUrl: front.url,
      credentials: parseCredentials(machine.server.credentials, 'fuzz'),
      transport: createHttpTransport({ maxSockets: 4 }),
      retry: { attempts: 2, factor: 2, firstDelayMs: 1, capMs: 5 },
      timeoutMs: 3_000,
      random: () => 1,
    });
    client.setMachineUuid(machine.server.machineUuid);
    // The kiosk's link, on the machine's front (the one the outbox delivers through), on real timers.
    link = new ServerLink({
      mode: 'remote',
      baseUrl: machine.front.url,
      credentials: parseCredentials(machine.server.credentials, 'fuzz'),
      config: serverConfig.parse({ mode: 'remote', url: machine.front.url, heartbeatMinMs: 1_000, heartbeatMaxMs: 1_000, configPollMs: 1_000, handshakeFirstDelayMs: 20, handshakeCapMs: 300, requestTimeoutMs: 2_000, retry: { attempts: 2, firstDelayMs: 20, capMs: 100 }, realtime: { enabled: false } }),
      timezone: 'Asia/Jakarta',
      version: '0.0.0-fuzz',
      dataDir: tmp,
      realtimeUnavailableMs: 300,
    });
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online before the fuzz', timeoutMs: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await link?.stop();
    await client?.close();
    await front?.close();
    await elsewhere?.close();
    await machine?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    restoreLogs();
  });

  const designed = () => new DesignedEndpoints(client, { rvmId: () => machine.server.machineId, deviceId: () => 'fuzz-hw' });
  const sender = () => createDepositSender(client);
  const calls: Array<{ name: string; path: string; run: () => Promise<Outcome> }> = [
    { name: 'handshake', path: '/api/v1/edge/handshake', run: async () => fromApi(await handshake(client, HANDSHAKE, false)) },
    { name: 'heartbeat', path: '/api/v1/edge/heartbeat', run: async () => fromApi(await heartbeat(client, HEARTBEAT)) },
    { name: 'deposit', path: '/api/v1/edge/deposit', run: async () => fromSend(await sender().sendDeposit(credit(`fz-${Math.random()}`, fakeJpeg(256)))) },
    { name: 'sync-offline', path: '/api/v1/edge/sync-offline', run: async () => fromSend(await sender().sendOfflineBatch([credit(`fz-${Math.random()}`)])) },
    { name: 'telemetry', path: '/api/v1/edge/telemetry', run: async () => fromApi(await client.call(telemetryCall({ readings: [] } as unknown as Parameters<typeof telemetryCall>[0]))) },
    { name: 'session token', path: '/api/v1/kiosk/session/token', run: async () => fromApi(await sessionToken(client)) },
    { name: 'guest session', path: '/api/v1/kiosk/session/guest', run: async () => fromApi(await guestSession(client)) },
    { name: 'PIN', path: '/api/v1/kiosk/auth/pin', run: async () => fromApi(await pinAuth(client, machine.server.pin)) },
    { name: 'kiosk config', path: '/api/v1/kiosk/config', run: async () => fromApi(await kioskConfig(client)) },
    { name: 'rvm config', path: '/api/v2/rvms/{id}/config', run: async () => fromApi(await designed().rvmConfig()) },
    { name: 'model download', path: '/models/fuzz.onnx', run: () => download() },
  ];

  /** The model download (its own fetch-based client): a finished file or a DownloadError, nothing else. */
  async function download(): Promise<Outcome> {
    const file = path.join(tmp, `model-${Math.random()}.part`);
    try {
      await downloadResumable({ fetch, url: `${front.url}/models/fuzz.onnx`, file, authOrigin: front.url, authHeaders: { 'X-RVM-API-KEY': machine.server.credentials.api_key }, crossOrigin: 'keyless', maxBytes: 2 * 1024 * 1024, signal: AbortSignal.timeout(3_000) });
      // Any body is bytes to the download; as in ModelSync, only the announced sha256 makes them a model.
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      return sha256 === ANNOUNCED_SHA256 ? { ok: true } : { ok: false, kind: 'hash_mismatch', message: `downloaded file has sha256 ${sha256}` };
    } catch (err) {
      if (err instanceof DownloadError) return { ok: false, kind: err.failure, message: err.message };
      throw err;
    } finally {
      rmSync(file, { force: true });
    }
  }

  const realPath = (p: string) => p.replace('{id}', String(machine.server.machineId));

  it(`${CASES} nonsense replies across ${calls.length} calls: a typed outcome each, the key never elsewhere, then a normal item`, async () => {
    // One real reply per path first: the structure-aware kinds damage these.
    for (const call of calls.slice(0, -1)) await call.run();
    const heapBefore = retainedHeapMiB();
    const memory = new MemoryWatch();
    const r = rng(SEED);
    const background = rng(SEED + 1);
    const perKind: Record<string, number> = {};
    let failures = 0;
    let typedOk = 0;
    // The machine's own link and outbox meet nonsense too (their timing is not seeded; they only must survive).
    // Deliveries meet only what can never be an answer, so the credit below must stay owed until the nonsense ends.
    machine.front.script = (req, res, body) => {
      const at = pathOf(req.url);
      const kind = DELIVERY_PATHS.includes(at) ? background.pick(ALWAYS_BAD) : pickKind(background, background.int(1000));
      nonsense(background, kind, { base: machine.front.replies.get(at), elsewhere: elsewhere.url, home: machine.front.url })(req, res, body);
    };
    machine.controller.model.insertItem('pet'); // its credit waits out the nonsense in the outbox
    const owed = await eventually(() => machine.kiosk.flow.current.items[0]?.id ?? false, { what: 'the item credited during the nonsense', timeoutMs: 20_000 });
    for (let i = 0; i < CASES; i++) {
      const call = r.pick(calls);
      const kind: NonsenseKind = pickKind(r, i);
      perKind[kind] = (perKind[kind] ?? 0) + 1;
      front.script = nonsense(r, kind, { base: front.replies.get(realPath(call.path)), elsewhere: elsewhere.url, home: front.url });
      const outcome = await withSeed('server', SEED, i, async () => {
        const result = await settles(call.run(), `${call.name} to come back from "${kind}"`, 15_000);
        if ((ALWAYS_BAD as readonly string[]).includes(kind)) expect(result, `${call.name} took "${kind}" as an answer`).toMatchObject({ ok: false });
        if (!result.ok) expect(result.message.length, `${call.name} failed without a message`).toBeGreaterThan(5);
        expect(Object.prototype, `${call.name} after "${kind}" polluted Object.prototype`).not.toHaveProperty('polluted');
        return result;
      });
      if (outcome.ok) typedOk += 1;
      else failures += 1;
    }
    front.script = null;
    expect(machine.kiosk.outbox.state().pending, 'a credit was taken as delivered by a reply that was no answer').toBe(1);
    machine.front.script = null;
    const peak = memory.stop();
    const heapAfter = retainedHeapMiB();

    expect(elsewhere.requests.length, 'the redirects to another origin were followed at least by the keyless model download').toBeGreaterThan(0);
    expect(elsewhere.sawHeader('x-rvm-api-key'), 'the API key reached another origin').toBe(false);
    expect(elsewhere.sawHeader('x-machine-uuid'), 'the machine UUID reached another origin').toBe(false);
    expect(heapAfter - heapBefore, `retained heap grew (seed ${SEED})`).toBeLessThan(48);

    // Afterwards: the link recovers on its own, the item credited during the nonsense arrives, and a normal item completes.
    await eventually(() => link.state.get().link === 'online', { what: 'the link back online after the nonsense', timeoutMs: 20_000 });
    const normal = await machine.completeNormalItem();
    expect(normal.items).toBe(2);
    expect(machine.server.state.receivedClientIds()).toContain(owed);
    reportFamily('server', { seed: SEED, replies: CASES, backgroundReplies: machine.front.scripted, failures, typedOk, ...perKind, crashes: 0, hangs: 0, keyLeaks: 0, retainedHeapGrowthMiB: Math.round((heapAfter - heapBefore) * 10) / 10, ...peak, normalItemAfter: 1 });
  }, FAMILY_TIMEOUT_MS);

  it('a 1-byte-per-second drip, of the headers or of the body, is cut by the configured timeout', async () => {
    const dripClient = new ApiClient({ baseUrl: front.url, credentials: parseCredentials(machine.server.credentials, 'fuzz'), transport: createHttpTransport({ maxSockets: 2 }), retry: { attempts: 1, factor: 1, firstDelayMs: 0, capMs: 0 }, timeoutMs: DRIP_TIMEOUT_MS });
    try {
      for (const where of ['headers', 'body'] as const) {
        front.script = drip(where, 60); // a minute of dripping if nothing cut it
        const started = performance.now();
        const result = await heartbeat(dripClient, HEARTBEAT);
        const elapsed = performance.now() - started;
        expect(result, `the ${where} drip`).toMatchObject({ ok: false, kind: 'timeout' });
        // Cut by the timeout, not by the drip running out: far below the 60 s the drip would take.
        expect(elapsed, `the ${where} drip took ${Math.round(elapsed)} ms`).toBeLessThan(DRIP_TIMEOUT_MS + 15_000);
      }
    } finally {
      front.script = null;
      await dripClient.close();
    }
  }, 60_000);

  it('a model update from a dripping server gives up at its timeout instead of holding every later update', async () => {
    // Found by this family: ModelSync gave the download no deadline, so a drip held the update forever and
    // every later announcement joined the stuck check.
    const store = new ModelStore(path.join(tmp, 'models'), path.join(tmp, 'no-base-manifest.json'));
    const notReached = () => Promise.reject(new Error('the drip never gets this far'));
    const sync = new ModelSync({
      fetch,
      source: () => ({ baseUrl: front.url, headers: { 'X-RVM-API-KEY': machine.server.credentials.api_key } }),
      store,
      runtime: { current: null, trial: notReached, swapTo: notReached },
      template: notReached,
      sampleFrame: notReached,
      maxBytes: 1024 * 1024,
      onState: () => undefined,
      downloadTimeoutMs: DRIP_TIMEOUT_MS,
    });
    front.script = drip('body', 60);
    try {
      const outcome = await settles(sync.check({ version: '9.9.9', url: '/models/drip.onnx', sha256: ANNOUNCED_SHA256 }), 'the model update to give up on the drip', 20_000);
      expect(outcome).toMatchObject({ result: 'failed' });
      expect(outcome.result === 'failed' && outcome.detail, JSON.stringify(outcome)).toMatch(/timed out after 800 ms/);
      expect(sync.busy).toBe(false);
    } finally {
      front.script = null;
    }
  }, 60_000);
});

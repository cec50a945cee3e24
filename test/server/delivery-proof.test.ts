/**
 * What counts as delivered: only MyRVM-Server's own answer (promised status + schema-valid body, within the
 * size cap). Against a hostile loopback server (captive portal, wrong types, 10 MB bodies, wrong 2xx) the
 * deposit sender must say `retryable` with "the server's answer was not a MyRVM reply: …", never `ok`
 * (the credits would be deleted) and never `permanent` (they would be parked). Then the real outbox, with
 * the real deposit sender, against the simulator's hostile faults: 0 records lost, each arrives once.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreditRecord } from '../../src/domain/ports.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { oneByOneSender } from '../../src/outbox/sender.js';
import { ApiClient } from '../../src/server/api-client.js';
import { serverConfig } from '../../src/server/config.js';
import { parseCredentials } from '../../src/server/credentials.js';
import { createDepositSender, type SendResult } from '../../src/server/deposit-sender.js';
import { createHttpTransport } from '../../src/server/http/transport.js';
import { setLogLevel } from '../../src/log/logger.js';
import { eventually } from '../helpers/eventually.js';
import { html200, huge, json, startHostileServer, type HostileServer } from '../helpers/hostile-server.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';
import { cleanupServerSims, fakeJpeg, makeClient, makeLink, startSim } from '../helpers/server-sim.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await cleanupServerSims();
  setLogLevel('warn');
});

const NOT_MYRVM = /^the server's answer was not a MyRVM reply: /;
const DEPOSIT = '/api/v1/edge/deposit';
const SYNC = '/api/v1/edge/sync-offline';

async function hostile(): Promise<HostileServer> {
  const server = await startHostileServer();
  cleanups.push(() => server.close());
  return server;
}

function senderFor(url: string, maxReplyBytes?: number) {
  const client = new ApiClient({
    baseUrl: url,
    credentials: parseCredentials({ serial_number: 'RVM-202601-001', api_key: randomBytes(32).toString('hex'), name: 'test' }, 'test'),
    transport: createHttpTransport({ maxSockets: 4, ...(maxReplyBytes === undefined ? {} : { maxReplyBytes }) }),
    retry: { attempts: 1, factor: 2, firstDelayMs: 1, capMs: 1 },
    timeoutMs: 10_000,
    sleep: async () => undefined,
  });
  cleanups.push(() => client.close());
  return createDepositSender(client);
}

let seq = 0;
function record(over: Partial<CreditRecord> = {}): CreditRecord {
  seq += 1;
  return { id: `proof-${seq}`, sessionId: 'guest_p', material: 'pet', points: 10, weightGrams: 18, confidence: 0.9, at: '2026-01-31T03:00:00.000Z', ...over };
}

const goodDeposit = (clientId: string) => json(201, { status: 'success', message: 'Deposit processed', data: { image_url: '/storage/deposits/x.jpg', ai_result: { client_id: clientId }, processed_at: '2026-01-31T10:00:00+07:00' } });
const goodSync = (count = 1) => json(200, { status: 'success', message: `Synced ${count} offline transactions`, synced_count: count });

function expectRetryable(result: SendResult, message: RegExp): void {
  expect(result.kind).toBe('retryable');
  expect(result.kind === 'ok' ? '' : result.message).toMatch(NOT_MYRVM);
  expect(result.kind === 'ok' ? '' : result.message).toMatch(message);
}

describe('a delivery counts only on a MyRVM reply', () => {
  it('takes the real answers as delivered (so the checks below are not just refusing everything)', async () => {
    setLogLevel('error');
    const evil = await hostile();
    const sender = senderFor(evil.url);
    const r = record({ image: fakeJpeg() });
    evil.on(DEPOSIT, goodDeposit(r.id));
    evil.on(SYNC, goodSync(1));
    expect(await sender.sendDeposit(r)).toEqual({ kind: 'ok', accepted: 1, via: 'deposit' });
    expect(await sender.sendOfflineBatch([record()])).toEqual({ kind: 'ok', accepted: 1, via: 'sync-offline' });
  });

  it("a captive portal's 200 text/html is a retry, for a deposit and for sync-offline", async () => {
    setLogLevel('error');
    const evil = await hostile();
    const sender = senderFor(evil.url);
    evil.on(DEPOSIT, html200());
    evil.on(SYNC, html200());
    expectRetryable(await sender.sendDeposit(record({ image: fakeJpeg() })), /not JSON \(content-type text\/html/);
    expectRetryable(await sender.sendOfflineBatch([record(), record()]), /not JSON \(content-type text\/html/);
  });

  it('a 2xx JSON with the wrong types is a retry, naming the field', async () => {
    setLogLevel('error');
    const evil = await hostile();
    const sender = senderFor(evil.url);
    evil.on(DEPOSIT, json(201, { status: 'success', data: { image_url: 42 } }));
    evil.on(SYNC, json(200, { status: 'success', synced_count: '1' }));
    expectRetryable(await sender.sendDeposit(record({ image: fakeJpeg() })), /data\.image_url/);
    expectRetryable(await sender.sendOfflineBatch([record()]), /synced_count/);
    evil.on(DEPOSIT, json(201, { status: 'error', message: 'nope' }));
    expectRetryable(await sender.sendDeposit(record({ image: fakeJpeg() })), /status/);
  });

  it('a 10 MB 2xx is abandoned at the cap, not buffered, and is a retry even though it is valid JSON', async () => {
    setLogLevel('error');
    const evil = await hostile();
    const sender = senderFor(evil.url);
    const size = 10 * 1024 * 1024;
    evil.on(SYNC, huge(200, { status: 'success', message: 'Synced 1 offline transactions', synced_count: 1 }, size));
    expectRetryable(await sender.sendOfflineBatch([record()]), /over the 1048576-byte limit/);
    const r = record({ image: fakeJpeg() });
    evil.on(DEPOSIT, huge(201, { status: 'success', data: { image_url: '/x.jpg', ai_result: { client_id: r.id } } }, size));
    expectRetryable(await sender.sendDeposit(r), /over the 1048576-byte limit/);
    // The kiosk hung up: the server never got to write the whole body.
    await eventually(() => evil.hugeBytesSent.length === 2, { what: 'both huge replies' });
    for (const sent of evil.hugeBytesSent) expect(sent).toBeLessThan(size);
  });

  it('the cap is server.maxReplyBytes (1 MiB by default); a Content-Length over it is refused unread', async () => {
    setLogLevel('error');
    expect(serverConfig.parse({}).maxReplyBytes).toBe(1024 * 1024);
    const evil = await hostile();
    const sender = senderFor(evil.url, 4096);
    const padded = { status: 'success', message: 'Synced 1 offline transactions', synced_count: 1, padding: 'x'.repeat(5000) };
    evil.on(SYNC, json(200, padded)); // with Content-Length
    expectRetryable(await sender.sendOfflineBatch([record()]), /over the 4096-byte limit/);
    evil.on(SYNC, huge(200, { status: 'success', synced_count: 1 }, 5000)); // chunked
    expectRetryable(await sender.sendOfflineBatch([record()]), /over the 4096-byte limit/);
    evil.on(SYNC, json(200, { ...padded, padding: 'x'.repeat(3000) }));
    expect((await sender.sendOfflineBatch([record()])).kind).toBe('ok');
  });

  it('the link builds its transport with server.maxReplyBytes', async () => {
    setLogLevel('error');
    const sim = await startSim();
    const { link } = makeLink(sim, { maxReplyBytes: 2048 });
    const sender = createDepositSender(link.client);
    sim.faults.add({ path: SYNC, kind: 'huge_200', bytes: 3000, times: 1 });
    expectRetryable(await sender.sendOfflineBatch([record()]), /over the 2048-byte limit/);
    expect((await sender.sendOfflineBatch([record()])).kind).toBe('ok');
  });

  it('a valid body with another 2xx than promised, a wrong synced_count or a foreign client_id echo is a retry', async () => {
    setLogLevel('error');
    const evil = await hostile();
    const sender = senderFor(evil.url);
    const r = record({ image: fakeJpeg() });
    evil.on(DEPOSIT, json(200, { status: 'success', data: { image_url: '/x.jpg', ai_result: { client_id: r.id } } }));
    expectRetryable(await sender.sendDeposit(r), /HTTP 200 where the server answers 201/);
    evil.on(SYNC, json(201, { status: 'success', synced_count: 1 }));
    expectRetryable(await sender.sendOfflineBatch([record()]), /HTTP 201 where the server answers 200/);
    evil.on(SYNC, goodSync(1));
    // Two sessions = two transactions, so the server would have said synced_count 2.
    expectRetryable(await sender.sendOfflineBatch([record({ sessionId: 'a' }), record({ sessionId: 'b' })]), /synced_count 1 for 2 transaction/);
    evil.on(DEPOSIT, goodDeposit('someone-else'));
    expectRetryable(await sender.sendDeposit(r), /echoes client_id "someone-else"/);
  });

  it('never parks a record over a hostile 2xx (never permanent), and a 3xx is a retry too', async () => {
    setLogLevel('error');
    const evil = await hostile();
    const sender = senderFor(evil.url);
    const results: SendResult[] = [];
    for (const reply of [html200(), json(200, { status: 'success' }), json(200, 'plain string'), json(204, null), json(302, {}, { location: 'http://127.0.0.1:1/login' })]) {
      evil.on(DEPOSIT, reply);
      evil.on(SYNC, reply);
      results.push(await sender.sendDeposit(record({ image: fakeJpeg() })), await sender.sendOfflineBatch([record()]));
    }
    expect(results.map((r) => r.kind)).toEqual(Array(results.length).fill('retryable'));
  });
});

describe('the outbox with the real deposit sender against hostile replies', () => {
  it.each([
    ['deposit (the head record has a photo)', true],
    ['sync-offline (the head record has none)', false],
  ])('%s: 0 records lost, none acked early, each arrives exactly once when the server answers again', async (_name, photoFirst) => {
    setLogLevel('error'); // every hostile reply is logged as an error on purpose
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    const tmp = await makeTempDir();
    cleanups.push(tmp.cleanup);
    const outbox = await Outbox.open(tmp.dir, outboxConfig.parse({ flushDelayMs: 5, batchSize: 5, backoff: { firstMs: 5, factor: 2, maxMs: 40 } }), { freeBytes: async () => null });
    cleanups.push(() => outbox.close());
    const hits = () => sim.state.hitsOn(DEPOSIT) + sim.state.hitsOn(SYNC);

    sim.faults.add({ path: '/api/v1/edge/', kind: 'html_200' });
    outbox.attachSender(oneByOneSender((item) => sender.sendDeposit(item)));
    const credits = Array.from({ length: 22 }, (_, n) => makeCredit(n, (n % 2 === 0) === photoFirst ? { image: fakeJpeg() } : {}));
    for (const c of credits) await outbox.record(c);

    for (const kind of ['html_200', 'wrong_types_200', 'huge_200'] as const) {
      sim.faults.clear();
      sim.faults.add({ path: '/api/v1/edge/', kind });
      const before = hits();
      outbox.retrySoon();
      // Ends early if anything was acked: that is the loss this test is about (the server stored nothing).
      await eventually(() => hits() >= before + 3 || outbox.state().pushed > 0, { what: `three ${kind} answers` });
      // No waiting for a pass to end: these hold at every moment (an ack is journaled only after an `ok`).
      const state = outbox.state();
      expect(state, kind).toMatchObject({ pending: 22, pushed: 0, failed: 0 });
      expect(state.lastError, kind).toMatch(NOT_MYRVM);
      expect(sim.state.receivedClientIds(), kind).toEqual([]);
    }

    sim.faults.clear();
    outbox.retrySoon();
    await eventually(() => outbox.state().pending === 0, { what: 'the outbox to drain' });
    expect(outbox.state()).toMatchObject({ pending: 0, pushed: 22, failed: 0, lastError: null });
    expect([...sim.state.receivedClientIds()].sort()).toEqual(credits.map((c) => c.id).sort());
    expect(sim.state.duplicateClientIds()).toEqual([]);
  });
});

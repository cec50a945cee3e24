/**
 * Fuzz, contract family: what a broken or hostile UI could send, through the real browser host's WebSocket
 * bridge (main/browser-host/ws-bridge.ts) into the kiosk core's contract validators (src/contract/**): random
 * JSON of every type, envelopes with wrong fields, unknown and prototype-named commands, real commands with
 * random payloads, `__proto__` / `constructor.prototype` shapes at every depth, text that is not JSON, binary
 * frames, frames over the size limit; then a flood of 10,000 messages a second, and a client that floods
 * without reading its replies. Every frame gets exactly one reply with an error code and a message (or a
 * result); Object.prototype stays clean; memory stays flat; the bridge keeps answering another screen
 * during the flood; and the machine then completes a normal item.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as pause } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host/browser-host.js';
import { bridgeSocket } from '../../main/browser-host/ws-bridge.js';
import { rendererDir } from '../../main/project-paths.js';
import { commands } from '../../src/contract/index.js';
import { eventually } from '../helpers/eventually.js';
import { describeWithSocat } from '../helpers/pty.js';
import { FAMILY_TIMEOUT_MS, fuzzCount, fuzzSeed, MemoryWatch, quietLogs, reportFamily, retainedHeapMiB, rng, withSeed, type Rng } from './fuzz-kit.js';
import { startFuzzMachine, type FuzzMachine } from './fuzz-machine.js';

const MESSAGES = fuzzCount(2_000, 100_000);
const FLOOD_PER_SECOND = 10_000;
const FLOOD_SECONDS = fuzzCount(1, 5);
const SEED = fuzzSeed(150_003);
const ERROR_CODES = ['bad_message', 'unknown_command', 'invalid_request', 'forbidden', 'failed', 'invalid_reply'];
const REAL_NAMES = Object.keys(commands);
const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/** A screen on the browser host: counts every reply and keeps the ones the test waits for by id. */
class Screen {
  replies = 0;
  badReplies: string[] = [];
  private readonly waiting = new Map<string, (reply: Record<string, unknown>) => void>();
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message.type !== 'reply') return;
      this.replies += 1;
      if (message.ok === false) {
        const error = message.error as { code?: unknown; message?: unknown } | undefined;
        if (!error || !ERROR_CODES.includes(String(error.code)) || typeof error.message !== 'string' || error.message.length < 5) this.badReplies.push(String(data).slice(0, 300));
      }
      this.waiting.get(String(message.id))?.(message);
    });
  }

  static open(url: string): Promise<Screen> {
    const { host, origin } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${host}/kiosk`, { headers: { Origin: origin } });
      socket.once('open', () => resolve(new Screen(socket)));
      socket.once('error', reject);
    });
  }

  call(name: string, payload: unknown = {}): Promise<Record<string, unknown>> {
    const id = `call-${Math.random()}`;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ type: 'command', id, name, payload }));
    });
  }
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 5 : 8)) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
    case 3: return r.text(20);
    case 4: return r.pick(PROTO_NAMES);
    case 5: return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.chance(0.2) ? r.pick(PROTO_NAMES) : r.text(8), randomJson(r, depth + 1)]));
  }
}

/** A `__proto__` / `constructor.prototype` object, as JSON text (JSON.parse makes `__proto__` an own key). */
function pollution(r: Rng): string {
  const evil = r.pick(['{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}', '{"__proto__":{"__proto__":{"polluted":"yes"}}}', '{"prototype":{"polluted":"yes"}}']);
  const name = r.chance(0.5) ? r.pick(REAL_NAMES) : r.pick(PROTO_NAMES);
  return r.pick([
    `{"type":"command","id":1,"name":${JSON.stringify(name)},"payload":${evil}}`,
    `{"type":"command","id":1,"name":${JSON.stringify(name)},"payload":{"a":{"b":${evil}}},"__proto__":{"polluted":"yes"}}`,
    `{"__proto__":{"type":"command","id":1,"name":"system.ping","polluted":"yes"}}`,
    `{"type":"command","id":{"__proto__":{"polluted":"yes"}},"name":"system.ping"}`,
    `{"type":"command","id":2,"name":"system.ping","payload":[${evil},${evil}],"constructor":{"prototype":{"polluted":"yes"}}}`,
  ]);
}

type Kind = 'random_json' | 'wrong_envelope' | 'unknown_command' | 'proto_name' | 'real_command' | 'pollution' | 'not_json' | 'binary';

/** One frame: text (or a Buffer sent as a binary frame). */
function message(r: Rng, i: number): { kind: Kind; frame: string | Buffer } {
  const id = r.chance(0.8) ? i : randomJson(r);
  switch (r.int(8)) {
    case 0: return { kind: 'random_json', frame: JSON.stringify(randomJson(r)) ?? 'null' };
    case 1: {
      const envelope: Record<string, unknown> = { type: r.pick(['command', 'reply', 'event', 'Command', '', 'ready ', 1]), id, name: r.pick([...REAL_NAMES, '', 'x'.repeat(101), 7]), payload: randomJson(r) };
      delete envelope[r.pick(['type', 'id', 'name', 'payload', 'none'])];
      return { kind: 'wrong_envelope', frame: JSON.stringify(envelope) };
    }
    case 2: return { kind: 'unknown_command', frame: JSON.stringify({ type: 'command', id, name: `${r.pick(['system', 'session', 'hardware', 'x'])}.${r.text(12, 'abcdefghijklmnopqrstuvwxyz')}`, payload: randomJson(r) }) };
    case 3: return { kind: 'proto_name', frame: JSON.stringify({ type: 'command', id, name: r.pick(PROTO_NAMES), payload: {} }) };
    case 4: return { kind: 'real_command', frame: JSON.stringify({ type: 'command', id, name: r.pick(REAL_NAMES), payload: randomJson(r) }) };
    case 5: return { kind: 'pollution', frame: pollution(r) };
    case 6: return { kind: 'not_json', frame: r.pick(['', '{', '{"type":"command"', 'undefined', "{'a':1}", r.text(60), '\u0000\u0001', '[1,2,']) };
    default: return { kind: 'binary', frame: r.bytes(1 + r.int(64)) };
  }
}

const prototypeKeys = () => ({ object: Object.getOwnPropertyNames(Object.prototype).sort(), array: Object.getOwnPropertyNames(Array.prototype).sort(), fn: Object.getOwnPropertyNames(Function.prototype).sort() });

describeWithSocat('fuzz: contract messages from a UI', () => {
  let machine: FuzzMachine;
  let host: BrowserHost;
  let restoreLogs: () => void = () => undefined;
  const figures: Record<string, number | string> = {};

  beforeAll(async () => {
    restoreLogs = quietLogs(); // every rejected message is logged (rate-limited) on purpose
    machine = await startFuzzMachine();
    host = await startBrowserHost({ core: machine.kiosk.ctx.core, rendererDir: rendererDir() });
  }, 60_000);
  afterAll(async () => {
    await host?.close();
    await machine?.stop();
    restoreLogs();
    reportFamily('contract', figures);
  });

  it(`${MESSAGES} wrong shapes, unknown commands and prototype-pollution shapes: one clear reply each, nothing polluted`, async () => {
    const before = prototypeKeys();
    const heapBefore = retainedHeapMiB();
    const memory = new MemoryWatch();
    const screen = await Screen.open(host.url);
    const r = rng(SEED);
    const perKind: Record<string, number> = {};
    for (let sent = 0; sent < MESSAGES; ) {
      const batch = Math.min(100, MESSAGES - sent);
      for (let n = 0; n < batch; n++, sent++) {
        const m = message(r, sent);
        perKind[m.kind] = (perKind[m.kind] ?? 0) + 1;
        screen.socket.send(m.frame, { binary: Buffer.isBuffer(m.frame) });
      }
      // Every frame, whatever it was, gets exactly one reply: wait for the batch's before the next.
      await withSeed('contract', SEED, sent, () => eventually(() => screen.replies >= sent || false, { what: `replies to ${sent} frames (have ${screen.replies})`, timeoutMs: 20_000 }));
    }
    expect(screen.replies).toBe(MESSAGES);
    expect(screen.badReplies, `error replies without a code or message (seed ${SEED})`).toEqual([]);
    expect(Object.prototype, `Object.prototype polluted (seed ${SEED})`).not.toHaveProperty('polluted');
    expect(prototypeKeys()).toEqual(before);
    expect(screen.socket.readyState).toBe(WebSocket.OPEN);
    screen.socket.close();
    const heapAfter = retainedHeapMiB();
    expect(heapAfter - heapBefore, `retained heap grew (seed ${SEED})`).toBeLessThan(48);
    Object.assign(figures, { seed: SEED, messages: MESSAGES, ...perKind, crashes: 0, hangs: 0, polluted: 0, retainedHeapGrowthMiB: Math.round((heapAfter - heapBefore) * 10) / 10, ...memory.stop() });
  }, FAMILY_TIMEOUT_MS);

  it(`a flood of ${FLOOD_PER_SECOND} messages a second for ${FLOOD_SECONDS} s from another process: another screen is still answered, memory stays flat`, async () => {
    const other = await Screen.open(host.url);
    const heapBefore = retainedHeapMiB();
    const memory = new MemoryWatch(20);
    const r = rng(SEED + 1);
    const frames = Array.from({ length: 200 }, (_, i) => message(r, i).frame).filter((f): f is string => typeof f === 'string');
    // The flooder runs in its own process, so the rate it offers does not wait for this event loop (the kiosk's).
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./flood-child.ts', import.meta.url))], {
      env: { ...process.env, FLOOD: JSON.stringify({ url: host.url, frames, perSecond: FLOOD_PER_SECOND, seconds: FLOOD_SECONDS }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exited = false;
    child.on('exit', () => (exited = true));
    // Every 100 ms while the flood runs, the other screen asks something; every question must be answered.
    const pings: Array<Promise<Record<string, unknown>>> = [];
    while (!exited) {
      pings.push(other.call('outbox.status'));
      await pause(100);
    }
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { sent: number; replies: number; sendSeconds: number; badReplies: number };
    const answered = await eventually(async () => (await Promise.all(pings)).every((reply) => reply.ok === true) && pings.length, { what: "the other screen's questions answered during the flood", timeoutMs: 30_000 });
    expect(result.sent).toBe(FLOOD_PER_SECOND * FLOOD_SECONDS);
    expect(result.replies, 'a reply to every flooded frame').toBe(result.sent);
    expect(result.badReplies).toBe(0);
    const peak = memory.stop();
    other.socket.close();
    const heapAfter = retainedHeapMiB();
    expect(heapAfter - heapBefore, `retained heap grew after the flood (seed ${SEED + 1})`).toBeLessThan(48);
    Object.assign(figures, { floodMessages: result.sent, floodOfferedPerSecond: Math.round(result.sent / result.sendSeconds), floodQuestionsAnswered: answered, floodPeakRssMiB: peak.peakRssMiB, floodPeakHeapMiB: peak.peakHeapMiB });
  }, 120_000);

  it('a client that floods without reading its replies is cut off instead of buffered without bound', async () => {
    // The bridge on a WebSocketServer of the test's own, so the server side of the socket can be watched.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 * 1024 });
    await new Promise((resolve) => wss.once('listening', resolve));
    const server: { side: WebSocket | null } = { side: null };
    wss.on('connection', (ws) => {
      server.side = ws;
      bridgeSocket(machine.kiosk.ctx.core, ws, 'fuzz:slow-reader');
    });
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    await new Promise((resolve) => client.once('open', resolve));
    let closed = false;
    client.on('close', () => (closed = true));
    client.on('error', () => undefined);
    (client as unknown as { _socket: { pause(): void } })._socket.pause(); // reads nothing from here on
    const frame = JSON.stringify({ type: 'command', id: 1, name: `x.${'y'.repeat(90)}`, payload: {} });
    let peakBuffered = 0;
    let sent = 0;
    for (let tick = 0; tick < 150 && !closed && client.readyState === WebSocket.OPEN; tick++) {
      for (let n = 0; n < 2_000; n++, sent++) client.send(frame);
      peakBuffered = Math.max(peakBuffered, server.side?.bufferedAmount ?? 0);
      await pause(10);
    }
    await eventually(() => server.side?.readyState === WebSocket.CLOSED, { what: 'the bridge to close the socket that reads nothing', timeoutMs: 10_000 });
    expect(peakBuffered, `bytes queued for a client that reads nothing (after ${sent} frames)`).toBeLessThan(4 * 1024 * 1024);
    client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    Object.assign(figures, { slowReaderFrames: sent, slowReaderPeakQueuedKiB: Math.round(peakBuffered / 1024) });
  }, 60_000);

  it('a frame over the size limit closes only that connection; a new screen works, and the machine completes a normal item', async () => {
    const big = await Screen.open(host.url);
    const closedWith = new Promise<number>((resolve) => big.socket.once('close', (code) => resolve(code)));
    big.socket.send(JSON.stringify({ type: 'command', id: 1, name: 'system.ping', payload: { pad: 'x'.repeat(70 * 1024) } }));
    expect(await closedWith).toBe(1009);
    const next = await Screen.open(host.url);
    expect(await next.call('outbox.status')).toMatchObject({ ok: true });
    next.socket.close();
    const normal = await machine.completeNormalItem();
    expect(normal.items).toBeGreaterThanOrEqual(1);
    Object.assign(figures, { normalItemAfter: 1 });
  }, 60_000);
});

/**
 * Test helpers for the server link: a simulator on loopback, an ApiClient or ServerLink pointed at it with
 * an injected sleep that records requested delays (so retry schedules are asserted, never waited for),
 * and a log capture to check that a fault was reported.
 */
import { ApiClient } from '../../src/server/api-client.js';
import { serverConfig, type ServerConfig } from '../../src/server/config.js';
import { parseCredentials } from '../../src/server/credentials.js';
import { createHttpTransport } from '../../src/server/http/transport.js';
import { ServerLink, type ServerLinkOptions } from '../../src/server/server-link.js';
import { startServerSimulator, type ServerSimulator, type SimulatorOptions } from '../../src/server/simulator/server-simulator.js';
import { onLog, type LogLevel } from '../../src/log/logger.js';
import type { RetryPolicy } from '../../src/server/retry.js';
import { EventBus } from '../../src/core/event-bus.js';
import type { KioskEvents } from '../../src/domain/events.js';

export type { ServerSimulator } from '../../src/server/simulator/server-simulator.js';

const cleanups: Array<() => Promise<void> | void> = [];

/** Run in afterEach: closes every simulator, client and link the helpers made. */
export async function cleanupServerSims(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

export async function startSim(options: SimulatorOptions = {}): Promise<ServerSimulator> {
  const sim = await startServerSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

export interface RecordingSleep {
  sleep: (ms: number) => Promise<void>;
  delays: number[];
}

/** Resolves at once and remembers what the client asked for. */
export function recordingSleep(): RecordingSleep {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

export interface TestClient {
  client: ApiClient;
  delays: number[];
}

export function makeClient(sim: ServerSimulator, opts: { retry?: Partial<RetryPolicy>; timeoutMs?: number; uuid?: boolean } = {}): TestClient {
  const { sleep, delays } = recordingSleep();
  const client = new ApiClient({
    baseUrl: sim.url,
    credentials: parseCredentials(sim.credentials, 'simulator'),
    transport: createHttpTransport({ maxSockets: 4 }),
    retry: { attempts: 3, factor: 2, firstDelayMs: 1_000, capMs: 60_000, ...opts.retry },
    timeoutMs: opts.timeoutMs ?? 5_000,
    sleep,
    // Jitter pinned to its top (equal jitter draws from half the ceiling up), so the schedule is exact: 1 s, 2 s, …
    random: () => 1,
  });
  if (opts.uuid !== false) client.setMachineUuid(sim.machineUuid);
  cleanups.push(() => client.close());
  return { client, delays };
}

/** A link config for tests: fast loops, realtime pointed at the simulator's Pusher server when it has one. */
export function linkConfig(sim: ServerSimulator, overrides: Record<string, unknown> = {}): ServerConfig {
  const realtime = sim.pusherAppKey ? { appKey: sim.pusherAppKey, host: '127.0.0.1', port: sim.port, scheme: 'ws', reconnectFirstDelayMs: 50, reconnectCapMs: 400 } : {};
  const { realtime: rtOverride, ...rest } = overrides as { realtime?: Record<string, unknown> };
  return serverConfig.parse({
    mode: 'remote',
    url: sim.url,
    heartbeatMinMs: 60_000,
    heartbeatMaxMs: 60_000,
    configPollMs: 60_000,
    qrPollMs: 500,
    handshakeFirstDelayMs: 20,
    handshakeCapMs: 200,
    ...rest,
    realtime: { ...realtime, ...rtOverride },
  });
}

export function makeLink(sim: ServerSimulator, overrides: Record<string, unknown> = {}, extra: Partial<ServerLinkOptions> = {}): { link: ServerLink; delays: number[]; bus: EventBus<KioskEvents> } {
  const { sleep, delays } = recordingSleep();
  const bus = new EventBus<KioskEvents>();
  const link = new ServerLink({
    mode: 'remote',
    baseUrl: sim.url,
    credentials: parseCredentials(sim.credentials, 'simulator'),
    config: linkConfig(sim, overrides),
    timezone: 'Asia/Jakarta',
    version: '0.0.0-test',
    dataDir: process.cwd(),
    sleep,
    random: () => 1,
    realtimeUnavailableMs: 300,
    bus,
    ...extra,
  });
  cleanups.push(() => link.stop());
  return { link, delays, bus };
}

export interface LogCapture {
  lines: Array<{ level: LogLevel; scope: string; message: string; fields?: Record<string, unknown> }>;
  text(): string;
}

export function captureLogs(): LogCapture {
  const lines: LogCapture['lines'] = [];
  const stop = onLog((level, scope, message, fields) => lines.push({ level, scope, message, ...(fields ? { fields } : {}) }));
  cleanups.push(stop);
  return { lines, text: () => lines.map((l) => `${l.level} ${l.scope} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join('\n') };
}

/** A tiny valid JPEG header + payload: enough for the server's image sniffing. */
export function fakeJpeg(size = 64): Buffer {
  const buf = Buffer.alloc(size, 0x11);
  buf[0] = 0xff;
  buf[1] = 0xd8;
  buf[2] = 0xff;
  return buf;
}


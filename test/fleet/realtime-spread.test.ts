/**
 * When the realtime server drops every socket (a Reverb restart, the server going away), pusher-js on its own
 * reconnects after a fixed second: a whole fleet in the same second. RealtimeChannel stops pusher-js at the
 * drop and reconnects after a random wait within `reconnectSpreadMs`. Real Pusher-protocol server on
 * loopback; the clock is faked from the drop on, so the wait is checked exactly, not timed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeChannel } from '../../src/server/realtime/pusher-channel.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { setLogLevel } from '../../src/log/logger.js';
import { eventually } from '../helpers/eventually.js';

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realPause = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));

let sim: ServerSimulator | null = null;
let channel: RealtimeChannel | null = null;

afterEach(async () => {
  vi.useRealTimers();
  channel?.stop();
  await sim?.close();
  setLogLevel('warn');
});

describe('realtime reconnect after a drop', () => {
  it('waits a random time within the spread window, not pusher-js’s fixed second', async () => {
    setLogLevel('error');
    let upgrades = 0;
    sim = await startServerSimulator({ onRequest: (path) => void (path === '(realtime upgrade)' && (upgrades += 1)) });
    const modes: string[] = [];
    channel = new RealtimeChannel({
      appKey: sim.pusherAppKey!,
      host: '127.0.0.1',
      port: sim.port,
      scheme: 'ws',
      channel: `rvm.${sim.machineUuid}`,
      reconnectFirstDelayMs: 1_000,
      reconnectCapMs: 30_000,
      reconnectSpreadMs: 4_000,
      random: () => 0.5,
      onEvent: () => undefined,
      onMode: (mode) => modes.push(mode),
    });
    channel.start();
    await eventually(() => modes.at(-1) === 'realtime', { what: 'the first subscription' });
    expect(upgrades).toBe(1);

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    sim.pusher!.dropAll();
    await eventually(() => modes.at(-1) === 'polling', { what: 'the drop to be noticed', timeoutMs: 3_000 });
    // pusher-js alone would reconnect now, a second after the drop.
    await vi.advanceTimersByTimeAsync(1_999);
    await realPause(200);
    expect(upgrades).toBe(1);
    // random 0.5 of a 4 s window: the reconnect goes at 2 s.
    await vi.advanceTimersByTimeAsync(1);
    // pusher-js defers its steps on timers too: let the fake clock run in small steps while it subscribes.
    await eventually(async () => (await vi.advanceTimersByTimeAsync(5), upgrades === 2 && modes.at(-1) === 'realtime'), { what: 'the spread reconnect', timeoutMs: 5_000 });
  });
});

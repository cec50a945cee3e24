/** The API client's transport rules, against the simulator over real loopback HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_TIMER_MS } from '../../src/core/backoff.js';
import { heartbeat } from '../../src/server/endpoints/edge.js';
import { kioskConfig } from '../../src/server/endpoints/kiosk.js';
import { normalizeBaseUrl } from '../../src/server/api-client.js';
import type { ServerTimeSample } from '../../src/server/time-samples.js';
import { captureLogs, cleanupServerSims, makeClient, startSim } from '../helpers/server-sim.js';

afterEach(cleanupServerSims);

const beat = { hardware_id: 'X', status: 'online', version: 't', bin_capacity: 0, health_metrics: { cpu_usage_percent: 1, memory_usage_percent: 1, disk_usage_percent: 1 }, ip_local: null };

describe('API client', () => {
  it('always sends Accept: application/json and never an Origin or Referer', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const result = await client.call({ method: 'GET', path: '/api/v1/kiosk/config', auth: 'kiosk', schema: z.unknown() });
    expect(result.ok).toBe(true);
    // Without Accept: application/json the simulator, like Laravel, answers a 422 with a 302 redirect.
    const raw = await fetch(`${sim.url}/api/v1/kiosk/auth/pin`, { method: 'POST', headers: { 'X-Machine-UUID': sim.machineUuid }, body: '{}', redirect: 'manual' });
    expect(raw.status).toBe(302);
    const pin = await client.call({ method: 'POST', path: '/api/v1/kiosk/auth/pin', auth: 'kiosk', json: {}, schema: z.unknown(), retry: false });
    expect(pin.ok).toBe(false);
    expect(pin.ok ? 0 : pin.status).toBe(422);
    expect(sim.state.hitsOn('/api/v1/kiosk/auth/pin')).toBe(2);
    expect(sim.state.browserHeadersSeen).toEqual([]);
  });

  it('retries 503 with exponential backoff and succeeds on the third attempt', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    sim.faults.add({ path: '/api/v1/edge/heartbeat', kind: 'status', status: 503, times: 2 });
    const result = await heartbeat(client, beat);
    expect(result.ok).toBe(true);
    expect(delays).toEqual([1_000, 2_000]);
    expect(sim.state.hitsOn('/api/v1/edge/heartbeat')).toBe(3);
    expect(client.stats.snapshot().failed).toBe(2);
  });

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    sim.faults.add({ path: '/api/v1/kiosk/config', kind: 'status', status: 429, retryAfter: 7, times: 1 });
    const result = await kioskConfig(client);
    expect(result.ok).toBe(true);
    expect(delays).toEqual([7_000]);
  });

  it('honours the real kiosk throttle (60/min, shared) and its Retry-After', async () => {
    const sim = await startSim({ kioskThrottlePerMinute: 2 });
    const { client, delays } = makeClient(sim, { retry: { attempts: 2 } });
    await kioskConfig(client);
    await kioskConfig(client);
    const third = await kioskConfig(client);
    expect(third.ok).toBe(false);
    expect(third.ok ? 0 : third.status).toBe(429);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(50_000);
    expect(delays[0]).toBeLessThanOrEqual(60_000);
  });

  it('gives up when Retry-After is beyond the cap, and hands the hint back', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    sim.faults.add({ kind: 'status', status: 429, retryAfter: 3_600, times: 1 });
    const result = await kioskConfig(client);
    expect(result.ok).toBe(false);
    expect(delays).toEqual([]);
    expect(result.ok ? null : result.retryAfterMs).toBe(3_600_000);
  });

  it('hands back a huge Retry-After bounded to what a timer can hold, never an overflowing value', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    sim.faults.add({ kind: 'status', status: 429, retryAfter: 10_000_000_000, times: 1 });
    const result = await kioskConfig(client);
    expect(delays).toEqual([]);
    expect(result.ok ? null : result.retryAfterMs).toBe(MAX_TIMER_MS);
  });

  it('never retries other 4xx', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    const result = await client.call({ method: 'POST', path: '/api/v1/edge/handshake', auth: 'edge', json: { name: 'x', ip_local: null }, schema: z.unknown() });
    expect(result.ok ? 0 : result.status).toBe(422);
    expect(delays).toEqual([]);
    expect(sim.state.hitsOn('/api/v1/edge/handshake')).toBe(1);
  });

  it('retries dropped connections as network errors', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    sim.faults.add({ path: '/api/v1/edge/heartbeat', kind: 'drop', times: 1 });
    const result = await heartbeat(client, beat);
    expect(result.ok).toBe(true);
    expect(delays).toEqual([1_000]);
    expect(client.stats.snapshot().recent[0]?.status).toBeNull();
  });

  it('times a slow server out per request', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { timeoutMs: 100, retry: { attempts: 1 } });
    sim.faults.add({ kind: 'latency', ms: 1_000, times: 1 });
    const result = await kioskConfig(client);
    expect(result.ok ? null : result.kind).toBe('timeout');
  });

  it('reports a malformed reply as a clear logged error and keeps working', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    const logs = captureLogs();
    sim.faults.add({ path: '/api/v1/edge/heartbeat', kind: 'malformed', times: 1 });
    const bad = await heartbeat(client, beat);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? null : bad.kind).toBe('malformed');
    // A garbled 200 may have been acted on: never blindly repeated.
    expect(delays).toEqual([]);
    const line = logs.lines.find((l) => l.message === 'malformed reply from server');
    expect(line?.level).toBe('error');
    expect(line?.fields?.path).toBe('/api/v1/edge/heartbeat');
    const good = await heartbeat(client, beat);
    expect(good.ok).toBe(true);
  });

  it('rejects a well-formed reply of the wrong shape, naming the field', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const logs = captureLogs();
    const result = await client.call({ method: 'GET', path: '/api/v1/kiosk/config', auth: 'kiosk', schema: z.object({ success: z.literal(true), data: z.object({ machine_name: z.number() }) }) });
    expect(result.ok ? null : result.message).toMatch(/data\.machine_name/);
    expect(logs.text()).toMatch(/malformed reply from server/);
  });

  it('publishes server-time samples from server_time or the Date header', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const samples: ServerTimeSample[] = [];
    client.onTimeSample((s) => samples.push(s));
    await heartbeat(client, beat);
    await kioskConfig(client);
    expect(samples.map((s) => s.source)).toEqual(['body', 'header']);
    expect(samples.map((s) => s.resolutionMs)).toEqual([1000, 1000]);
    for (const s of samples) {
      expect(s.receivedAt).toBeGreaterThanOrEqual(s.sentAt);
      // The simulator runs on this machine's clock; both sources have one-second resolution.
      expect(Math.abs(s.serverTime - s.receivedAt)).toBeLessThan(2_000);
    }
  });

  it('waits for the handshake before any kiosk call', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { uuid: false });
    const result = await kioskConfig(client);
    expect(result.ok ? null : result.kind).toBe('not_ready');
    expect(sim.state.hitsOn('/api/v1/kiosk/config')).toBe(0);
  });

  it('accepts the server URL with or without /api/v1', () => {
    expect(normalizeBaseUrl('https://myrvm.example.id/api/v1/')).toBe('https://myrvm.example.id');
    expect(normalizeBaseUrl('http://10.0.0.5:8001/api')).toBe('http://10.0.0.5:8001');
    expect(normalizeBaseUrl('http://10.0.0.5:8001')).toBe('http://10.0.0.5:8001');
  });
});

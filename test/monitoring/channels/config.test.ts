/** The channels' configuration: off by default, settable from the environment, bad URLs refused by key. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envOverrides, loadConfig } from '../../../src/app/load-config.js';
import { describeZodError } from '../../../src/core/describe-error.js';
import { channelsConfig } from '../../../src/monitoring/channels/config.js';
import { topicSafe, topicsFor } from '../../../src/monitoring/channels/payloads.js';

describe('monitoring channels configuration', () => {
  it('has every channel off with nothing set', () => {
    const c = channelsConfig.parse({});
    expect(c.mqtt).toMatchObject({ url: '', username: '', password: '', tls: { ca: '', rejectUnauthorized: true }, maxQueued: 1_000, statusEveryMs: 60_000 });
    expect(c.mqtt.reconnect).toEqual({ firstMs: 1_000, factor: 2, maxMs: 60_000 });
    expect(c.webhook).toMatchObject({ url: '', token: '', attempts: 3, timeoutMs: 10_000, backoff: { firstMs: 2_000, factor: 2, maxMs: 30_000 } });
  });

  it('takes RVM__monitoring__… variables like every other key', () => {
    const env = envOverrides({
      RVM__monitoring__mqtt__url: 'mqtts://broker.fleet.example:8883',
      RVM__monitoring__mqtt__username: 'rvm-42',
      RVM__monitoring__mqtt__tls__rejectUnauthorized: 'false',
      RVM__monitoring__webhook__url: 'https://ops.example/hooks/rvm',
      RVM__monitoring__webhook__token: 'abc123',
    }) as { monitoring: unknown };
    const c = channelsConfig.parse(env.monitoring);
    expect(c.mqtt).toMatchObject({ url: 'mqtts://broker.fleet.example:8883', username: 'rvm-42', tls: { rejectUnauthorized: false } });
    expect(c.webhook).toMatchObject({ url: 'https://ops.example/hooks/rvm', token: 'abc123' });
  });

  it('is part of the kiosk configuration: `monitoring.mqtt`, `monitoring.webhook`', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'rvm-cfg-'));
    const { config } = loadConfig({ argv: [], env: { RVM__monitoring__mqtt__url: 'mqtt://127.0.0.1:1883', RVM__monitoring__webhook__token: 'abc123' }, cwd });
    expect(config.monitoring.mqtt.url).toBe('mqtt://127.0.0.1:1883');
    expect(config.monitoring.webhook).toMatchObject({ url: '', token: 'abc123', attempts: 3 });
    expect(() => loadConfig({ argv: [], env: { RVM__monitoring__mqtt__url: 'broker:1883' }, cwd })).toThrow(/monitoring\.mqtt\.url/);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('refuses a URL of the wrong kind, naming the key', () => {
    const bad = channelsConfig.safeParse({ mqtt: { url: 'http://broker:1883' }, webhook: { url: 'ftp://x' } });
    expect(bad.success).toBe(false);
    const text = describeZodError(bad.error!);
    expect(text).toMatch(/mqtt\.url: an mqtt:\/\//);
    expect(text).toMatch(/webhook\.url: an http:\/\//);
  });

  it('keeps topics fixed and well-formed whatever the serial holds', () => {
    expect(topicsFor('RVM-202601-006')).toEqual({ telemetry: 'rvm/RVM-202601-006/telemetry', alerts: 'rvm/RVM-202601-006/alerts', status: 'rvm/RVM-202601-006/status' });
    expect(topicSafe('a/b+c#d e')).toBe('a_b_c_d_e');
    expect(topicSafe('  ')).toBe('unknown');
  });
});

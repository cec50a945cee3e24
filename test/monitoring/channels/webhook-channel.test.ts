/**
 * The alert webhook against a real HTTP receiver on loopback: the body and the Bearer token, three attempts
 * with the shared backoff (delays recorded by an injected sleep, never waited for), the delivery record per
 * alert (in memory and on disk across a restart), order, and the token kept out of logs and files.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, type BackoffPolicy } from '../../../src/core/backoff.js';
import { EventBus } from '../../../src/core/event-bus.js';
import type { KioskEvents } from '../../../src/domain/events.js';
import { onLog } from '../../../src/log/logger.js';
import { WebhookChannel, type WebhookChannelOptions } from '../../../src/monitoring/channels/webhook-channel.js';
import { eventually } from '../../helpers/eventually.js';
import { makeTempDir } from '../../helpers/outbox.js';
import { makeAlert, raised, transition } from './fixtures/alerts.js';

const TOKEN = 'whk_7Qm2xZ9pL4sV8nR1tY6u';
const BACKOFF: BackoffPolicy = { firstMs: 2_000, factor: 2, maxMs: 30_000 };
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

/** Answers each POST with the next status of `script` (200 once the script runs out), or hangs up. */
class Receiver {
  readonly requests: Array<{ headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];
  script: Array<number | 'hangup'> = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.requests.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      const next = this.script.shift() ?? 200;
      if (next === 'hangup') {
        req.socket.destroy();
        return;
      }
      res.writeHead(next, { 'content-type': 'application/json' }).end(next < 300 ? '{"ok":true}' : '{"message":"receiver is having a bad day"}');
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/rvm`;
    cleanups.push(() => this.stop());
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function open(url: string, extra: Partial<WebhookChannelOptions> = {}) {
  const bus = new EventBus<KioskEvents>();
  const delays: number[] = [];
  const channel = await WebhookChannel.open(bus, {
    url,
    token: TOKEN,
    serial: 'RVM-202601-006',
    attempts: 3,
    backoff: BACKOFF,
    timeoutMs: 2_000,
    sleep: async (ms) => void delays.push(ms),
    random: () => 1,
    ...extra,
  });
  cleanups.push(() => channel.close());
  return { bus, channel, delays };
}

describe('alert webhook', () => {
  it('POSTs each transition as JSON with the Bearer token and records it as sent', async () => {
    const receiver = await new Receiver().start();
    const { bus, channel, delays } = await open(receiver.url);
    bus.emit('monitoring.alert', raised('a-1'));
    await channel.idle();

    expect(receiver.requests).toHaveLength(1);
    const { headers, body } = receiver.requests[0]!;
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers['content-type']).toBe('application/json');
    expect(body).toMatchObject({ event: 'alert.transition', id: 'a-1', status: 'raised', serial: 'RVM-202601-006', at: '2026-01-31T03:00:00.000Z', severity: 'warning', rule: 'bin_full.glass' });
    expect(channel.getDeliveries('a-1')).toEqual([
      { alertId: 'a-1', transition: 'raised', at: Date.UTC(2026, 0, 31, 3), status: 'sent', attempts: 1, lastAttemptAt: expect.any(Number), httpStatus: 200, error: null },
    ]);
    expect(delays).toEqual([]);
  });

  it('tries again after two failures, waiting the shared backoff, and then records it sent', async () => {
    const receiver = await new Receiver().start();
    receiver.script = [503, 'hangup'];
    const { bus, channel, delays } = await open(receiver.url);
    bus.emit('monitoring.alert', raised('a-2'));
    await channel.idle();

    expect(receiver.requests).toHaveLength(3);
    expect(delays).toEqual([backoffDelay(1, BACKOFF, () => 1), backoffDelay(2, BACKOFF, () => 1)]);
    expect(delays).toEqual([2_000, 4_000]);
    expect(channel.getDeliveries('a-2')[0]).toMatchObject({ status: 'sent', attempts: 3, httpStatus: 200, error: null });
  });

  it('gives up after three failures and records "failed" with the error', async () => {
    const receiver = await new Receiver().start();
    receiver.script = [500, 502, 503];
    const { bus, channel } = await open(receiver.url);
    const seen: string[] = [];
    channel.onDelivery((d) => seen.push(`${d.status}/${d.attempts}`));
    bus.emit('monitoring.alert', raised('a-3'));
    await channel.idle();

    expect(receiver.requests).toHaveLength(3);
    expect(channel.getDeliveries('a-3')[0]).toMatchObject({ status: 'failed', attempts: 3, httpStatus: 503, error: 'HTTP 503: {"message":"receiver is having a bad day"}' });
    expect(seen).toEqual(['pending/0', 'pending/1', 'pending/2', 'failed/3']);
  });

  it('records a network error when nothing answers, and does not retry a refusal that asking again cannot fix', async () => {
    const receiver = await new Receiver().start();
    await receiver.stop();
    const down = await open(receiver.url);
    down.bus.emit('monitoring.alert', raised('a-4'));
    await down.channel.idle();
    expect(down.channel.getDeliveries('a-4')[0]).toMatchObject({ status: 'failed', attempts: 3, httpStatus: null, error: expect.stringMatching(/^network: .*ECONNREFUSED/) });

    const strict = await new Receiver().start();
    strict.script = [401];
    const refused = await open(strict.url);
    refused.bus.emit('monitoring.alert', raised('a-5'));
    await refused.channel.idle();
    expect(strict.requests).toHaveLength(1);
    expect(refused.channel.getDeliveries('a-5')[0]).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 401 });
  });

  it('delivers transitions in the order they happened, even when the first needs retries', async () => {
    const receiver = await new Receiver().start();
    receiver.script = [503, 503];
    const { bus, channel } = await open(receiver.url);
    const alert = makeAlert('a-6');
    bus.emit('monitoring.alert', transition(alert, 'raised'));
    bus.emit('monitoring.alert', transition(alert, 'acknowledged', 2, { kind: 'technician', name: 'Budi', assignmentId: 7 }));
    bus.emit('monitoring.alert', transition(alert, 'resolved', 9, { kind: 'technician', name: 'Budi', assignmentId: 7 }, 'bin emptied'));
    await channel.idle();

    expect(receiver.requests.map((r) => r.body.status)).toEqual(['raised', 'raised', 'raised', 'acknowledged', 'resolved']);
    expect(receiver.requests.at(-1)!.body).toMatchObject({ note: 'bin emptied', by: { kind: 'technician', name: 'Budi', assignmentId: 7 } });
    expect(channel.getDeliveries('a-6').map((d) => `${d.transition}:${d.status}`)).toEqual(['raised:sent', 'acknowledged:sent', 'resolved:sent']);
  });

  it('keeps the record on disk: statuses survive a restart and an interrupted delivery is resumed', async () => {
    const { dir, cleanup } = await makeTempDir('rvm-webhook-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'deliveries.json');
    const receiver = await new Receiver().start();
    receiver.script = [503];

    // First run: one delivery goes through; the next one fails once, and the kiosk stops while it waits.
    const bus = new EventBus<KioskEvents>();
    const first = await WebhookChannel.open(bus, {
      url: receiver.url,
      token: TOKEN,
      serial: 'RVM-202601-006',
      attempts: 3,
      backoff: BACKOFF,
      timeoutMs: 2_000,
      file,
      // The wait after the failure never ends by itself: only close() cuts it short.
      sleep: () => new Promise(() => undefined),
    });
    receiver.script = [200, 503];
    bus.emit('monitoring.alert', raised('kept'));
    bus.emit('monitoring.alert', raised('interrupted'));
    await eventually(() => first.getDeliveries('interrupted')[0]?.attempts === 1, { what: 'the first failed attempt' });
    await first.close();
    expect(first.getDeliveries('interrupted')[0]).toMatchObject({ status: 'pending', attempts: 1 });

    // Second run over the same file.
    const { channel: second } = await open(receiver.url, { file });
    await second.idle();
    expect(second.getDeliveries('kept')[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(second.getDeliveries('interrupted')[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(receiver.requests.map((r) => r.body.id)).toEqual(['kept', 'interrupted', 'interrupted']);
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).toContain('"kept"');
    expect(onDisk).not.toContain(TOKEN);
  });

  it('never writes the token to a log line, whatever goes wrong', async () => {
    const lines: string[] = [];
    cleanups.push(onLog((level, scope, message, fields) => lines.push(`${level} ${scope} ${message} ${JSON.stringify(fields ?? {})}`)));
    const receiver = await new Receiver().start();
    receiver.script = [500, 500, 500];
    const { bus, channel } = await open(`${receiver.url}?token=${TOKEN}`);
    bus.emit('monitoring.alert', raised('a-7'));
    await channel.idle();
    expect(channel.getDeliveries('a-7')[0]!.status).toBe('failed');
    expect(lines.some((l) => l.includes('alert webhook'))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

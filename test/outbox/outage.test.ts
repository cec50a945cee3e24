/**
 * 200 deposits while the server refuses connections, then recovery: every record arrives, none twice, in
 * order. Short backoff settings keep it to a few seconds (a 60-second outage against the full server
 * simulator belongs to the server-link tests).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { eventually } from '../helpers/eventually.js';
import { httpSender, LoopbackReceiver, makeCredit, makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
let receiver: LoopbackReceiver;
let outbox: Outbox;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  receiver = await new LoopbackReceiver().start();
});
afterEach(async () => {
  await outbox.close();
  await receiver.stop();
  await cleanup();
});

it('delivers 200 deposits recorded during an outage exactly once each after recovery', async () => {
  await receiver.goDown();
  const config = outboxConfig.parse({ batchSize: 25, flushDelayMs: 5, sendTimeoutMs: 5000, backoff: { firstMs: 20, factor: 2, maxMs: 150 } });
  outbox = await Outbox.open(dir, config);
  outbox.attachSender(httpSender(receiver.url));
  const credits = Array.from({ length: 200 }, (_, n) => makeCredit(n, n % 10 === 0 ? { image: Buffer.alloc(2048, n % 251) } : {}));
  for (const credit of credits) await outbox.record(credit);

  await eventually(() => outbox.state().failedAttempts >= 3, { what: 'a few refused attempts', timeoutMs: 20_000 });
  expect(outbox.state()).toMatchObject({ pending: 200, pushed: 0 });
  expect(outbox.state().lastError).toMatch(/network/);
  expect(receiver.received).toEqual([]);

  await receiver.goUp();
  await eventually(() => outbox.state().pending === 0, { what: 'recovery', timeoutMs: 20_000 });
  expect(receiver.received).toEqual(credits.map((c) => c.id));
  expect(outbox.state()).toMatchObject({ pushed: 200, failed: 0, nextAttemptAt: null });
  const withImages = receiver.records.filter((r) => (r.imageBytes ?? 0) > 0).map((r) => r.id);
  expect(withImages).toEqual(credits.filter((_, n) => n % 10 === 0).map((c) => c.id));
});

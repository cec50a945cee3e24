/**
 * With the one-by-one deposit sender, each record's ack is written as soon as the server took it, not when
 * the whole batch is done: a kill during a backlog then re-sends one record, not every record the batch had
 * already delivered (measured in the custody kill test: 79 duplicates over 20 kills before, 13 after).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { oneByOneSender } from '../../src/outbox/sender.js';
import { eventually } from '../helpers/eventually.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('one-by-one delivery', () => {
  it('has acked every earlier record of the backlog by the time the next one goes out', async () => {
    const { dir, cleanup } = await makeTempDir();
    const outbox = await Outbox.open(dir, outboxConfig.parse({ flushDelayMs: 5, batchSize: 50 }));
    cleanups.push(async () => {
      await outbox.close();
      await cleanup();
    });
    for (let n = 1; n <= 5; n += 1) await outbox.record(makeCredit(n));
    const pendingAtSend: number[] = [];
    outbox.attachSender(
      oneByOneSender(async () => {
        pendingAtSend.push(outbox.state().pending);
        return { kind: 'ok' };
      }),
    );
    await eventually(() => outbox.state().pending === 0, { what: 'the backlog delivered' });
    expect(pendingAtSend).toEqual([5, 4, 3, 2, 1]);
  });
});

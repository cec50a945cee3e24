/**
 * The outbox's side of "never credited twice": custody may confirm an item again after a crash (the credit
 * was written, the custody record not yet closed), so the outbox must ignore a record whose id it already
 * holds or has delivered — across a restart too — instead of sending it to a server that does not
 * de-duplicate.
 */
import { describe, expect, it } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { eventually } from '../helpers/eventually.js';
import { makeCredit, outboxPerTest, recordingServer } from '../helpers/outbox.js';

const rig = outboxPerTest('rvm-custody-dedupe-', 0);
const config = outboxConfig.parse({ flushDelayMs: 0, backoff: { firstMs: 20, factor: 2, maxMs: 100 } });
const openBox = () => rig.open(config);

describe('outbox: one record per id', () => {
  it('ignores a second record of an id it has already delivered, before and after a restart', async () => {
    const server = recordingServer();
    const box = await openBox();
    box.attachSender(server);
    const credit = makeCredit(1);
    await box.record(credit);
    await eventually(() => box.state().pushed === 1, { what: 'the credit delivered' });
    await box.record(credit);
    expect(box.state().pending).toBe(0);
    await box.close(0);

    const reopened = await openBox();
    reopened.attachSender(server);
    await reopened.record(credit);
    await reopened.record(makeCredit(2));
    await eventually(() => reopened.state().pushed === 2, { what: 'the new credit delivered' });
    expect(server.received).toEqual([credit.id, makeCredit(2).id]);
  });
});

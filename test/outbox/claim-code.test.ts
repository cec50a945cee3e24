/**
 * A guest session's claim code travels with its credits: durable in the credit journal, through a restart,
 * to the server as `claim_code` (the deposit's `data` JSON, which the server echoes back; a sync-offline
 * transaction when there is no picture). Lines written before claim codes existed still replay and go out
 * without one.
 */
import { appendFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { encodeLine } from '../../src/outbox/record-codec.js';
import { oneByOneSender } from '../../src/outbox/sender.js';
import { createDepositSender, depositData, toTransactions, type ClaimableCredit } from '../../src/server/deposit-sender.js';
import { eventually } from '../helpers/eventually.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';
import { cleanupServerSims, fakeJpeg, makeClient, startSim } from '../helpers/server-sim.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  // Last opened, first closed: the outbox is closed (its last writes done) before its folder is removed.
  for (const c of cleanups.splice(0).reverse()) await c();
  await cleanupServerSims();
});

const config = outboxConfig.parse({ flushDelayMs: 5, minFreeBytes: 0 });

async function openOutbox(dir: string): Promise<Outbox> {
  const outbox = await Outbox.open(dir, config);
  cleanups.push(() => outbox.close());
  return outbox;
}

it('keeps the claim code through a restart and sends it with the deposit and the offline batch', async () => {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  const withPhoto: ClaimableCredit = { ...makeCredit(1, { sessionId: 'guest-1', image: fakeJpeg() }), claimCode: 'ACDEFGHJ' };
  const noPhoto: ClaimableCredit = { ...makeCredit(2, { sessionId: 'guest-1' }), claimCode: 'ACDEFGHJ' };
  const member = makeCredit(3, { sessionId: 'member-1', image: fakeJpeg() });
  const first = await Outbox.open(dir, config);
  for (const credit of [withPhoto, noPhoto, member]) await first.record(credit);
  await first.close();

  const outbox = await openOutbox(dir); // the restart: everything below comes from the journal on disk
  const sim = await startSim();
  const sender = createDepositSender(makeClient(sim).client);
  outbox.attachSender(oneByOneSender((item) => sender.sendDeposit(item)));
  await eventually(() => outbox.state().pending === 0, { what: 'the credits delivered' });

  const deposits = sim.state.deposits.map((d) => d.data as Record<string, unknown>);
  expect(deposits.find((d) => d.client_id === withPhoto.id)).toMatchObject({ claim_code: 'ACDEFGHJ', session_id: 'guest-1' });
  expect(deposits.find((d) => d.client_id === member.id)).not.toHaveProperty('claim_code');
  expect(sim.state.offlineItems.find((i) => i.clientId === noPhoto.id)).toMatchObject({ claimCode: 'ACDEFGHJ', sessionId: 'guest-1' });
});

it('replays a credit line written before claim codes existed, and sends it without one', async () => {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  const first = await Outbox.open(dir, config);
  const fresh: ClaimableCredit = { ...makeCredit(1), claimCode: 'KMNPQRTW' };
  await first.record(fresh);
  await first.close();
  // The exact shape an older kiosk wrote: no claimCode key at all.
  const old = makeCredit(2);
  const segment = (await readdir(dir)).filter((n) => n.startsWith('seg-')).sort()[0]!;
  await appendFile(path.join(dir, segment), encodeLine({ t: 'credit', seq: 2, ...old, recordedAt: old.at }));

  const outbox = await openOutbox(dir);
  expect(outbox.state()).toMatchObject({ pending: 2, damagedLines: 0 });
  const sent: Array<Record<string, unknown>> = [];
  outbox.attachSender(
    oneByOneSender(async (item) => {
      sent.push(depositData(item));
      return { kind: 'ok' };
    }),
  );
  await eventually(() => outbox.state().pending === 0, { what: 'both credits delivered' });
  expect(sent).toEqual([
    expect.objectContaining({ client_id: fresh.id, claim_code: 'KMNPQRTW' }),
    expect.not.objectContaining({ claim_code: expect.anything() }),
  ]);
  expect(sent[1]).toMatchObject({ client_id: old.id, points: 10 });
});

it('starts a new offline transaction when the claim code changes, so no item is sent under another code', () => {
  const a: ClaimableCredit = { ...makeCredit(1, { sessionId: 's' }), claimCode: 'ACDEFGHJ' };
  const b: ClaimableCredit = { ...makeCredit(2, { sessionId: 's' }), claimCode: 'ACDEFGHJ' };
  const c = makeCredit(3, { sessionId: 's' });
  const txs = toTransactions([a, b, c]);
  expect(txs.map((t) => [t.claim_code, t.items.length])).toEqual([['ACDEFGHJ', 2], [undefined, 1]]);
  expect(txs[1]).not.toHaveProperty('claim_code');
});

/**
 * The server link's APIs plug into the interfaces the outbox, maintenance and clock domains declared,
 * without mapping code: checked by the type checker (this file compiles) and by running them for real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TimeSample } from '../../src/clock/time-sample.js';
import type { PinVerifier } from '../../src/maintenance/pin-verifier.js';
import { oneByOneSender, type OutboxItem, type OutboxSender } from '../../src/outbox/sender.js';
import { createDepositSender } from '../../src/server/deposit-sender.js';
import { authenticatePin } from '../../src/server/pin-auth.js';
import { cleanupServerSims, fakeJpeg, makeClient, startSim } from '../helpers/server-sim.js';

afterEach(cleanupServerSims);

/** `image` becomes the item's photo as the outbox hands it over: opened on demand, as a Blob. */
const item = (id: string, image?: Buffer): OutboxItem => ({
  id,
  seq: Number(id.replace(/\D/g, '')),
  recordedAt: new Date().toISOString(),
  sessionId: 'guest_x',
  material: 'pet',
  points: 10,
  weightGrams: 21,
  confidence: 0.9,
  at: new Date().toISOString(),
  ...(image ? { photo: { bytes: image.length, open: async () => new Blob([image]) } } : {}),
});

describe('fit with the other domains', () => {
  it('is an outbox sender, batch or one by one', async () => {
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    const batch: OutboxSender = { send: (items) => sender.sendOfflineBatch([...items]) };
    const single: OutboxSender = oneByOneSender((i) => sender.sendDeposit(i));
    expect((await batch.send([item('i1'), item('i2')])).kind).toBe('ok');
    // i3 goes by deposit; i4 has no image, so it goes by sync-offline, which fails once.
    sim.faults.add({ path: '/api/v1/edge/sync-offline', kind: 'status', status: 503, times: 1 });
    const partial = await single.send([item('i3', fakeJpeg()), item('i4')]);
    expect(partial).toMatchObject({ kind: 'retryable', accepted: 1 });
    expect(sim.state.receivedClientIds()).toEqual(['i3', 'i1', 'i2']);
  });

  it('is a maintenance PIN verifier, and its time samples are clock samples', async () => {
    const sim = await startSim({ pin: '314159' });
    const { client } = makeClient(sim);
    const verify: PinVerifier = (pin) => authenticatePin(client, pin);
    expect((await verify('314159')).kind).toBe('ok');
    const samples: TimeSample[] = [];
    client.onTimeSample((s) => samples.push(s));
    await verify('000000');
    expect(samples).toHaveLength(1);
  });
});

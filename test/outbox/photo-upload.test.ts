/**
 * A credit's photo goes from the outbox to the deposit endpoint streamed from its file: the sender gets a
 * `photo` it opens (size and checksum checked, then a file-backed Blob), never the bytes in memory. A damaged
 * or missing photo never holds the credit back: it goes through sync-offline without one.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { oneByOneSender, type OutboxItem } from '../../src/outbox/sender.js';
import { createDepositSender } from '../../src/server/deposit-sender.js';
import { eventually } from '../helpers/eventually.js';
import { makeCredit, outboxPerTest } from '../helpers/outbox.js';
import { cleanupServerSims, makeClient, startSim } from '../helpers/server-sim.js';

afterEach(cleanupServerSims);
const boxes = outboxPerTest('rvm-outbox-photo-');
const config = outboxConfig.parse({ flushDelayMs: 5, sendTimeoutMs: 5000, backoff: { firstMs: 20, factor: 2, maxMs: 100 } });

const photo = () => sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 120, b: 200 } } }).jpeg({ quality: 80 }).toBuffer();
const imageFiles = async () => (await readdir(path.join(boxes.dir(), 'images'))).filter((f) => f.endsWith('.img'));

describe('the photo on its way to the server', () => {
  it('reaches the sender as a file it opens, byte for byte what was recorded', async () => {
    const box = await boxes.open(config);
    const jpeg = await photo();
    await box.record(makeCredit(1, { image: jpeg }));
    const seen: OutboxItem[] = [];
    const uploaded: Buffer[] = [];
    box.attachSender({
      async send(batch) {
        seen.push(...batch);
        // Read while sending: once acked, the file is gone (and a Blob of it can no longer be read).
        for (const item of batch) {
          const blob = await item.photo?.open();
          if (blob) uploaded.push(Buffer.from(await blob.arrayBuffer()));
        }
        return { kind: 'ok' };
      },
    });
    await eventually(() => box.state().pending === 0, { what: 'the record delivered' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty('image');
    expect(seen[0]!.photo!.bytes).toBe(jpeg.length);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]!.equals(jpeg)).toBe(true);
  });

  it('is uploaded to the deposit endpoint as a JPEG of its size', async () => {
    const sim = await startSim();
    const box = await boxes.open(config);
    const jpeg = await photo();
    const credit = makeCredit(2, { image: jpeg });
    await box.record(credit);
    const sender = createDepositSender(makeClient(sim).client);
    box.attachSender(oneByOneSender((item) => sender.sendDeposit(item)));
    await eventually(() => sim.state.deposits.length === 1, { what: 'the deposit at the server' });
    expect(sim.state.deposits[0]).toMatchObject({ clientId: credit.id, imageBytes: jpeg.length, imageType: 'jpg' });
    await eventually(async () => box.state().pending === 0 && (await imageFiles()).length === 0, { what: 'the photo removed once acked' });
  });

  it('damaged on disk (same size, other bytes): the credit goes without it, through sync-offline', async () => {
    const sim = await startSim();
    const box = await boxes.open(config);
    const jpeg = await photo();
    const credit = makeCredit(3, { image: jpeg });
    await box.record(credit);
    const [file] = await imageFiles();
    const damaged = Buffer.from(await readFile(path.join(boxes.dir(), 'images', file!)));
    damaged[damaged.length >> 1] = damaged[damaged.length >> 1]! ^ 0xff;
    await writeFile(path.join(boxes.dir(), 'images', file!), damaged);
    const sender = createDepositSender(makeClient(sim).client);
    box.attachSender(oneByOneSender((item) => sender.sendDeposit(item)));
    await eventually(() => sim.state.offlineItems.length === 1, { what: 'the credit by sync-offline' });
    expect(sim.state.offlineItems[0]).toMatchObject({ clientId: credit.id });
    expect(sim.state.deposits).toHaveLength(0);
  });

  it('missing on disk: opens as null, and the credit still goes', async () => {
    const sim = await startSim();
    const box = await boxes.open(config);
    const credit = makeCredit(4, { image: await photo() });
    await box.record(credit);
    for (const file of await imageFiles()) await rm(path.join(boxes.dir(), 'images', file));
    const sender = createDepositSender(makeClient(sim).client);
    box.attachSender(oneByOneSender((item) => sender.sendDeposit(item)));
    await eventually(() => sim.state.offlineItems.length === 1, { what: 'the credit by sync-offline' });
    expect(sim.state.receivedClientIds()).toEqual([credit.id]);
  });
});

/**
 * Real crashes: a child process (tsx) owns the outbox and is killed with SIGKILL, then a fresh one is
 * started over the same directory. Nothing the child confirmed may be lost; duplicates are allowed only
 * inside the batch that was in flight when it died (docs/outbox.md).
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackReceiver, makeCredit, makeTempDir, spawnTsx, type JsonChild } from '../helpers/outbox.js';

const CHILD = fileURLToPath(new URL('./fixtures/outbox-child.ts', import.meta.url));
let dir: string;
let cleanup: () => Promise<void>;
let receiver: LoopbackReceiver;
const children: JsonChild[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  receiver = await new LoopbackReceiver().start();
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
  await receiver.stop();
  await cleanup();
});

function start(env: Record<string, string>): JsonChild {
  const child = spawnTsx(CHILD, { OUTBOX_DIR: dir, RECEIVER_URL: receiver.url, ...env });
  children.push(child);
  return child;
}

async function killHard(child: JsonChild): Promise<void> {
  child.proc.kill('SIGKILL');
  await child.exited;
}

describe('outbox under kill -9', () => {
  it('delivers every record after a kill mid-flush, re-sending at most the batch in flight', async () => {
    const count = 120;
    const batchSize = 20;
    let inFlight: string[] = [];
    let release: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      receiver.onBatch = (ids, index) => {
        if (index !== 2) return;
        inFlight = ids;
        resolve();
        // The server has committed this batch; the reply never reaches the child.
        return new Promise<void>((r) => (release = r));
      };
    });
    const first = start({ PHASE: 'record-then-flush', COUNT: String(count), BATCH_SIZE: String(batchSize) });
    await arrived;
    await killHard(first);
    receiver.onBatch = null;
    release();

    const second = start({ PHASE: 'flush', BATCH_SIZE: String(batchSize) });
    const opened = await second.waitFor((l) => l.opened === true, 'the restart');
    expect(opened.pending).toBe(count - 2 * batchSize); // the two acked batches stay acked
    await second.waitFor((l) => l.drained === true, 'the drain');
    await second.exited;

    const expected = Array.from({ length: count }, (_, n) => makeCredit(n).id);
    const received = receiver.received;
    expect(new Set(received)).toEqual(new Set(expected));
    const duplicates = received.filter((id, k) => received.indexOf(id) !== k);
    // At least once: the batch whose reply was lost must be sent again, and nothing else may be.
    expect(duplicates.length).toBeLessThanOrEqual(batchSize);
    expect(duplicates.sort()).toEqual([...inFlight].sort());
  });

  it('keeps every record the child confirmed, images included, after a kill mid-recording', async () => {
    const imageBytes = 4096;
    const first = start({ PHASE: 'record', COUNT: '2000', IMAGE_BYTES: String(imageBytes) });
    await first.waitFor((l) => typeof l.recorded === 'string' && l.recorded === makeCredit(40).id, '41 confirmed records');
    await killHard(first);
    const confirmed = first.lines.flatMap((l) => (typeof l.recorded === 'string' ? [l.recorded] : []));
    expect(first.lines.some((l) => l.recordedAll)).toBe(false); // really killed mid-recording

    const second = start({ PHASE: 'flush' });
    await second.waitFor((l) => l.drained === true, 'the drain');
    await second.exited;
    const byId = new Map(receiver.records.map((r) => [r.id, r]));
    for (const id of confirmed) expect(byId.get(id)?.imageBytes).toBe(imageBytes);
    expect(receiver.received.length).toBe(new Set(receiver.received).size); // nothing was in flight: no duplicates
    expect(receiver.received).toEqual([...receiver.received].sort()); // still in recording order
  });
});

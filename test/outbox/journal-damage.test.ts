/**
 * The damage table of docs/outbox.md, one test per row. Ten credits are recorded and the outbox is closed;
 * the journal is then damaged the way a disk damages files, and the outbox reopened. In every row no credit
 * is lost silently: each one is replayed, or sits in quarantine (a copy of its bytes, or counted in
 * `damagedCredits` when its bytes are gone) with the `corrupt_records` alarm raised — except the one row that
 * looks exactly like a torn write, where the cut bytes are still kept in quarantine/torn.
 */
import { mkdir, readdir, readFile, rename, rm, truncate, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal } from '../../src/outbox/credit-journal.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox, type OutboxStatus } from '../../src/outbox/outbox.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
const opened: Outbox[] = [];
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(async () => {
  for (const box of opened.splice(0)) await box.close();
  await cleanup();
});

const config = outboxConfig.parse({ flushDelayMs: 60_000 });
const ALL = Array.from({ length: 10 }, (_, k) => makeCredit(k + 1).id);
const seg = () => path.join(dir, 'seg-00000001.jnl');

/** Record credits 1–10 and close cleanly; returns each line's [start, end) (end = its newline's offset). */
async function recordTen(): Promise<Array<{ start: number; end: number; mid: number }>> {
  const box = await Outbox.open(dir, config);
  for (const n of ALL.keys()) await box.record(makeCredit(n + 1));
  await box.close();
  return lineSpans(await readFile(seg()));
}

function lineSpans(data: Buffer): Array<{ start: number; end: number; mid: number }> {
  const spans = [];
  let start = 0;
  for (let end = data.indexOf(0x0a); end >= 0; end = data.indexOf(0x0a, start)) {
    spans.push({ start, end, mid: start + Math.floor((end - start) / 2) });
    start = end + 1;
  }
  return spans;
}

interface Reopened {
  box: Outbox;
  ids: string[];
  state: OutboxStatus;
  /** Text of the copies in quarantine/ (damage) and quarantine/torn/ (torn writes). */
  damaged: string[];
  torn: string[];
}

async function reopen(): Promise<Reopened> {
  const box = await Outbox.open(dir, config);
  opened.push(box);
  const read = async (sub: string) => {
    const folder = path.join(dir, 'quarantine', sub);
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.damaged') || n.endsWith('.torn'));
    return Promise.all(names.map((n) => readFile(path.join(folder, n), 'latin1')));
  };
  return { box, ids: box.preview({ limit: 500 }).records.map((r) => r.id), state: box.state(), damaged: await read(''), torn: await read('torn') };
}

/** The row's promise: what is not replayed is in quarantine, counted, with the alarm raised. */
function expectNoSilentLoss(r: Reopened, copied: string[] = []): void {
  const missing = ALL.filter((id) => !r.ids.includes(id));
  expect(r.ids).toEqual(ALL.filter((id) => r.ids.includes(id))); // order kept
  if (missing.length === 0 && r.state.damagedLines === 0) return;
  expect(r.state.alarms).toContain('corrupt_records');
  expect(r.state.damagedLines).toBeGreaterThan(0);
  expect(r.state.quarantined).toBeGreaterThan(0);
  expect(r.state.damagedCredits).toBeGreaterThanOrEqual(missing.length);
  for (const id of copied) expect(r.damaged.join('\n')).toContain(id);
}

const flipBit = (data: Buffer, at: number, bit = 0) => (data[at] = data[at]! ^ (1 << bit));

describe('journal damage (docs/outbox.md, damage table)', () => {
  it('a flipped bit in the last complete line: quarantined and alarmed, not cut off as a torn write', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    flipBit(data, data.indexOf('"points":10', lines[9]!.start) + 9);
    await writeFile(seg(), data);
    const r = await reopen();
    expect(r.ids).toEqual(ALL.slice(0, 9));
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 1, quarantined: 1 });
    expectNoSilentLoss(r, [ALL[9]!]);
    // The damaged line is kept in the segment (nothing cut), and new credits still go in after it.
    expect((await readFile(seg())).length).toBe(data.length);
    await r.box.record(makeCredit(11));
    await r.box.close();
    opened.pop();
    const again = await reopen();
    expect(again.ids).toEqual([...ALL.slice(0, 9), makeCredit(11).id]);
    expect(again.state.quarantined).toBe(1); // the same damage found again is not copied twice
  });

  it('a flipped bit in a middle line: that line quarantined, replay goes on past it', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    flipBit(data, data.indexOf('"points":10', lines[4]!.start) + 9);
    await writeFile(seg(), data);
    const r = await reopen();
    expect(r.ids).toEqual(ALL.filter((_, k) => k !== 4));
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 1 });
    expectNoSilentLoss(r, [ALL[4]!]);
  });

  it("a flipped bit in a line's newline: the two joined lines are split again, only the damaged one is lost", async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    flipBit(data, lines[4]!.end); // "\n" becomes "\v": lines 5 and 6 read as one
    await writeFile(seg(), data);
    const r = await reopen();
    expect(r.ids).toEqual(ALL.filter((_, k) => k !== 4));
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 1 });
    expectNoSilentLoss(r, [ALL[4]!]);
  });

  it('bytes lost from the middle of line 3 to the middle of line 4: both quarantined, lines 5–10 kept', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    await writeFile(seg(), Buffer.concat([data.subarray(0, lines[2]!.mid), data.subarray(lines[3]!.mid)]));
    const r = await reopen();
    expect(r.ids).toEqual([...ALL.slice(0, 2), ...ALL.slice(4)]);
    // Credit 4's id went with the lost bytes: the sequence gap (2 → 5) counts it.
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 2 });
    expectNoSilentLoss(r, [ALL[2]!]);
  });

  it('bytes lost from the middle of line 3 through its newline: line 4 is recovered from the joined line', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    await writeFile(seg(), Buffer.concat([data.subarray(0, lines[2]!.mid), data.subarray(lines[2]!.end + 1)]));
    const r = await reopen();
    expect(r.ids).toEqual(ALL.filter((_, k) => k !== 2));
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 1 });
    expectNoSilentLoss(r, [ALL[2]!]);
  });

  it('the file cut mid-way through line 3 after a clean close: the committed-length mark shows 8 credits lost', async () => {
    const lines = await recordTen();
    await truncate(seg(), lines[2]!.mid);
    const r = await reopen();
    expect(r.ids).toEqual(ALL.slice(0, 2));
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 8 });
    expectNoSilentLoss(r, [ALL[2]!]);
    // A note of the lost length sits beside the copy of the partial line.
    expect(r.damaged.some((text) => /"lostBytes":\d+/.test(text) && text.includes('"lastSeq":10'))).toBe(true);
    expect(r.torn).toEqual([]);
    // The lost sequence numbers are not handed out again.
    await r.box.record(makeCredit(11));
    await r.box.close();
    opened.pop();
    const again = await reopen();
    expect(again.ids).toEqual([...ALL.slice(0, 2), makeCredit(11).id]);
    const last = (await readFile(seg(), 'utf8')).trimEnd().split('\n').at(-1)!;
    expect(JSON.parse(last.slice(9)).seq).toBe(11);
  });

  it('the file cut mid-way through line 3 with no mark (a crash before any): a torn write, kept in quarantine/torn', async () => {
    // Without a mark the cut looks exactly like power lost mid-append: not an alarm, but never silently gone.
    const lines = await recordTen();
    await rm(path.join(dir, 'status.jnl'));
    await truncate(seg(), lines[2]!.mid);
    const r = await reopen();
    expect(r.ids).toEqual(ALL.slice(0, 2));
    expect(r.state).toMatchObject({ damagedLines: 0, quarantined: 0 });
    expect(r.state.alarms).not.toContain('corrupt_records');
    expect(r.torn).toHaveLength(1);
    expect(r.torn[0]).toContain(ALL[2]);
    expect((await readFile(seg())).length).toBe(lines[1]!.end + 1); // only the torn line was cut
  });

  it('a zeroed block across lines 4–7: quarantined, the sequence gap counts 4 credits, 1–3 and 8–10 kept', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    data.fill(0, lines[3]!.mid, lines[6]!.mid);
    await writeFile(seg(), data);
    const r = await reopen();
    expect(r.ids).toEqual([...ALL.slice(0, 3), ...ALL.slice(7)]);
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 4 });
    expectNoSilentLoss(r, [ALL[3]!]);
  });

  it('a zeroed tail inside committed bytes (file length kept): damage, not a torn write', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    data.fill(0, lines[7]!.mid);
    await writeFile(seg(), data);
    const r = await reopen();
    expect(r.ids).toEqual(ALL.slice(0, 7));
    expect(r.state).toMatchObject({ damagedLines: 1, damagedCredits: 3 });
    expectNoSilentLoss(r, [ALL[7]!]);
    expect(r.torn).toEqual([]);
  });

  it('a complete garbage line appended: quarantined and alarmed, every credit kept', async () => {
    await recordTen();
    await appendFile(seg(), 'garbage that ends in a newline\n');
    const r = await reopen();
    expect(r.ids).toEqual(ALL);
    expect(r.state.damagedLines).toBe(1);
    expect(r.state.alarms).toContain('corrupt_records');
    expect(r.damaged.join('')).toContain('garbage that ends in a newline');
  });

  it('garbage appended without a newline (past the committed length): a torn write, copied then cut', async () => {
    const lines = await recordTen();
    await appendFile(seg(), 'half a line');
    const r = await reopen();
    expect(r.ids).toEqual(ALL);
    expect(r.state).toMatchObject({ damagedLines: 0, quarantined: 0 });
    expect(r.torn).toEqual(['half a line\n']);
    expect((await readFile(seg())).length).toBe(lines[9]!.end + 1);
  });

  it('a damaged ack line (middle or last) never drops a credit: it is owed again, and the line quarantined', async () => {
    for (const which of ['middle', 'last'] as const) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      const journal = await CreditJournal.open(dir, 1 << 20);
      for (let n = 1; n <= 5; n += 1) await journal.append(makeCredit(n));
      for (let n = 1; n <= 3; n += 1) await journal.ack([makeCredit(n).id]);
      await journal.close();
      const status = path.join(dir, 'status.jnl');
      const data = await readFile(status);
      const acks = lineSpans(data).filter((s) => data.subarray(s.start, s.end).includes('"t":"ack"'));
      const target = which === 'middle' ? acks[1]! : acks[2]!;
      flipBit(data, data.indexOf('credit-0000', target.start) + 11); // the id's digit: "credit-00002" → "credit-00003"
      // The last ack line is followed only by the close mark: make it the file's last complete line.
      await writeFile(status, which === 'last' ? data.subarray(0, target.end + 1) : data);
      const r = await reopen();
      const reOwed = which === 'middle' ? makeCredit(2).id : makeCredit(3).id;
      expect(r.ids).toEqual([reOwed, makeCredit(4).id, makeCredit(5).id]); // re-sent: the safe direction
      expect(r.state.damagedLines).toBe(1);
      expect(r.state.alarms).toContain('corrupt_records');
      expect(r.damaged).toHaveLength(1);
      expect(r.damaged[0]).toContain('"t":"ack"');
      await r.box.close();
      opened.pop();
    }
  });

  it('the alarm clears once a technician moves the copies to quarantine/reviewed, and does not come back', async () => {
    const lines = await recordTen();
    const data = await readFile(seg());
    flipBit(data, data.indexOf('"points":10', lines[4]!.start) + 9);
    await writeFile(seg(), data);
    const r = await reopen();
    expect(r.state.alarms).toContain('corrupt_records');
    const q = path.join(dir, 'quarantine');
    await mkdir(path.join(q, 'reviewed'));
    for (const name of (await readdir(q)).filter((n) => n.endsWith('.damaged'))) await rename(path.join(q, name), path.join(q, 'reviewed', name));
    await r.box.refresh();
    expect(r.box.state().alarms).not.toContain('corrupt_records');
    await r.box.close();
    opened.pop();
    const again = await reopen();
    expect(again.state.damagedLines).toBe(1); // still in the live segment, still counted…
    expect(again.state.alarms).not.toContain('corrupt_records'); // …but already reviewed
  });
});

import { describe, expect, it } from 'vitest';
import { SeqTracker } from '../../../src/hardware/driver/seq-tracker.js';

function run(seqs: number[]) {
  const tracker = new SeqTracker();
  let missed = 0;
  const accepted = seqs.map((seq) => tracker.accept(seq, (n) => (missed += n)));
  return { accepted, missed, tracker };
}

describe('SeqTracker', () => {
  it('accepts consecutive numbers and counts nothing missed, across the wrap', () => {
    expect(run([65533, 65534, 65535, 1, 2])).toEqual(expect.objectContaining({ accepted: [true, true, true, true, true], missed: 0 }));
  });

  it('counts a gap, and across the wrap', () => {
    expect(run([10, 13]).missed).toBe(2);
    expect(run([65534, 2]).missed).toBe(2);
  });

  it('refuses a repeat but accepts a late frame it never saw without counting it twice', () => {
    const { accepted, missed } = run([20, 21, 21, 23, 22]);
    expect(accepted).toEqual([true, true, false, true, true]);
    expect(missed).toBe(1);
  });

  it('forgets everything on reset (controller reboot)', () => {
    const { tracker } = run([5, 6]);
    tracker.reset();
    expect(tracker.accept(5, () => undefined)).toBe(true);
  });
});

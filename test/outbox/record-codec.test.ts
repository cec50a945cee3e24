import { describe, expect, it } from 'vitest';
import { decodeLine, encodeLine, parseJournal } from '../../src/outbox/record-codec.js';

const lines = (...values: unknown[]) => Buffer.from(values.map(encodeLine).join(''));

describe('record codec', () => {
  it('round-trips values line by line', () => {
    const parsed = parseJournal(lines({ a: 1 }, { b: 'two\nlines' }, [3]));
    expect(parsed.entries).toEqual([{ a: 1 }, { b: 'two\nlines' }, [3]]);
    expect(parsed.damaged).toEqual([]);
    expect(parsed.tornTail).toBeNull();
  });

  it('treats a line without its newline as a torn tail and reports where to cut', () => {
    const good = lines({ n: 1 }, { n: 2 });
    const torn = Buffer.concat([good, Buffer.from(encodeLine({ n: 3 }).slice(0, 12))]);
    const parsed = parseJournal(torn);
    expect(parsed.entries).toEqual([{ n: 1 }, { n: 2 }]);
    expect(parsed.validBytes).toBe(good.length);
    expect(parsed.tornTail?.offset).toBe(good.length);
  });

  it('reports a complete garbage line at the end as damage, and only the part without a newline as the torn tail', () => {
    // A torn write cannot end in a newline it never wrote: a complete bad line is damage wherever it sits.
    const good = lines({ n: 1 });
    const parsed = parseJournal(Buffer.concat([good, Buffer.alloc(30), Buffer.from('\n'), Buffer.alloc(5)]));
    expect(parsed.entries).toEqual([{ n: 1 }]);
    expect(parsed.damaged).toEqual([{ offset: good.length, bytes: Buffer.alloc(30) }]);
    expect(parsed.tornTail).toEqual({ offset: good.length + 31, bytes: Buffer.alloc(5) });
    expect(parsed.validBytes).toBe(good.length + 31);
  });

  it('skips a corrupted line in the middle and keeps the ones after it', () => {
    const data = lines({ n: 1 }, { n: 2 }, { n: 3 });
    const second = data.indexOf('"n":2');
    data[second + 4] = '7'.charCodeAt(0); // flip a digit: the CRC no longer matches
    const parsed = parseJournal(data);
    expect(parsed.entries).toEqual([{ n: 1 }, { n: 3 }]);
    expect(parsed.damaged).toHaveLength(1);
    expect(parsed.tornTail).toBeNull();
  });

  it('rejects a line whose checksum field is damaged', () => {
    const line = Buffer.from(encodeLine({ ok: true }).trimEnd());
    expect(decodeLine(line)).toEqual({ ok: true });
    line[0] = line[0] === 0x30 ? 0x31 : 0x30;
    expect(decodeLine(line)).toBeUndefined();
  });
});

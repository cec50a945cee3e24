/** CSV export: RFC 4180 quoting (checked by parsing the output back), formula guard, and the two tables. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/events.js';
import { alertsCsv, csvField, historyCsv, historyCsvAsync, toCsv } from '../../src/monitoring/csv.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), (i += 1);
      else (field += c), (i += 1);
    } else if (c === '"' && field === '') (quoted = true), (i += 1);
    else if (c === ',') row.push(field), (field = ''), (i += 1);
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2);
    else if (c === '"' || c === '\n' || c === '\r') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else (field += c), (i += 1);
  }
  if (field !== '' || row.length > 0) throw new Error('last record not ended by CRLF');
  return rows;
}

describe('csv', () => {
  it('quotes only what needs quoting, doubling quotes, and ends every record with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(-4.5)).toBe('-4.5');
    expect(csvField(null)).toBe('');
    const { csv, rows } = toCsv(['a', 'b'], [['1', 'x,y'], ['"q"', 'line1\r\nline2']]);
    expect(rows).toBe(2);
    expect(csv).toBe('a,b\r\n1,"x,y"\r\n"""q""","line1\r\nline2"\r\n');
    expect(parseCsv(csv)).toEqual([['a', 'b'], ['1', 'x,y'], ['"q"', 'line1\r\nline2']]);
  });

  it('keeps a note from becoming a spreadsheet formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-1)).toBe('-1'); // numbers are numbers
  });

  it('writes the history with ISO times, units and the resolution of each row', () => {
    const { csv, rows } = historyCsv([
      { at: Date.UTC(2026, 10, 2, 3), sensor: 'bin.glass', value: 42.5, min: 40, max: 45, count: 5, tier: '5m' },
      { at: Date.UTC(2026, 10, 2, 3, 1), sensor: 'machine.temperature', value: 30, min: 30, max: 30, count: 1, tier: 'raw' },
    ]);
    expect(rows).toBe(2);
    expect(parseCsv(csv)).toEqual([
      ['time', 'sensor', 'unit', 'resolution', 'value', 'min', 'max', 'readings'],
      ['2026-11-02T03:00:00.000Z', 'bin.glass', '%', '5m', '42.5', '40', '45', '5'],
      ['2026-11-02T03:01:00.000Z', 'machine.temperature', '°C', 'raw', '30', '30', '30', '1'],
    ]);
  });

  it('writes the alert log with who did what, and multi-line notes intact', () => {
    const alert: Alert = {
      id: 'a1', rule: 'bin_full.glass', sensor: 'bin.glass', severity: 'warning', effect: { kind: 'stop_material', material: 'glass' },
      status: 'resolved', value: 95, threshold: 85, thresholdSource: 'server', raisedAt: 0, updatedAt: 120_000,
      history: [
        { status: 'raised', at: 0, by: { kind: 'system' }, note: null },
        { status: 'acknowledged', at: 60_000, by: { kind: 'technician', name: 'Siti, A.', assignmentId: 7 }, note: 'coming' },
        { status: 'resolved', at: 120_000, by: { kind: 'technician', name: 'Siti, A.', assignmentId: 7 }, note: 'emptied,\n"glass" bin' },
      ],
    };
    const [header, row] = parseCsv(alertsCsv([alert]).csv);
    const record = Object.fromEntries(header!.map((h, i) => [h, row![i]]));
    expect(record).toMatchObject({
      rule: 'bin_full.glass', effect: 'stop_material:glass', status: 'resolved', threshold: '85', threshold_source: 'server',
      raised_at: '1970-01-01T00:00:00.000Z', acknowledged_by: 'Siti, A. (assignment 7)', resolved_at: '1970-01-01T00:02:00.000Z',
    });
    expect(record.notes).toBe('1970-01-01T00:01:00.000Z acknowledged by Siti, A. (assignment 7): coming\n1970-01-01T00:02:00.000Z resolved by Siti, A. (assignment 7): emptied,\n"glass" bin');
  });
});

describe('csv times', () => {
  it('writes the same ISO time as Date#toISOString for every row, across minutes, hours and days', () => {
    const times = [Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 1, 0, 0, 5, 7), Date.UTC(2027, 0, 1, 0, 1, 0, 0), 0, 123_456];
    const rows = times.map((at) => ({ at, sensor: 's', value: 1, min: 1, max: 1, count: 1, tier: 'raw' as const }));
    const written = parseCsv(historyCsv(rows).csv).slice(1).map((r) => r[0]);
    expect(written).toEqual(times.map((t) => new Date(t).toISOString()));
  });
});

describe('csv export in chunks', () => {
  it('gives the same text as the one-go export, yielding between chunks', async () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => ({ at: i * 1_000, sensor: i % 2 ? 'bin.can' : 'a,b', value: i / 8, min: 0, max: i, count: 1, tier: 'raw' as const }));
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const chunked = await historyCsvAsync(rows, 1_000);
    clearInterval(ticking);
    expect(chunked).toEqual(historyCsv(rows));
    expect(turns).toBeGreaterThan(0);
  });
});

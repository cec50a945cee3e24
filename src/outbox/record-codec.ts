/**
 * The journal's on-disk framing: one record per line, `<crc32 as 8 hex digits> <JSON>\n`.
 *
 * Text lines keep the journal readable with `less` on a kiosk, JSON never contains a raw newline, and the
 * CRC catches both a torn write (power lost mid-append) and a flipped bit. On read, everything after the
 * last valid line is the torn tail: it was never acknowledged (the fsync had not returned), so it is cut
 * off. A bad line with valid lines after it is corruption, not a torn write: it is skipped and reported.
 */
import { crc32 } from 'node:zlib';

const NEWLINE = 0x0a;

export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface BadLine {
  offset: number;
  bytes: Buffer;
}

export interface ParsedJournal<T = unknown> {
  entries: T[];
  /** Byte length of the file up to and including the last valid line: the safe truncation point. */
  validBytes: number;
  /** Invalid lines followed by valid ones: corruption to report, not to cut off. */
  corrupt: BadLine[];
  /** Bytes after the last valid line (a torn append), or null when the file ends cleanly. */
  tornTail: BadLine | null;
}

export function decodeLine(line: Buffer): unknown {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const expected = Number.parseInt(line.subarray(0, 8).toString('latin1'), 16);
  const body = line.subarray(9);
  if (!Number.isFinite(expected) || crc32(body) !== expected) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function parseJournal<T = unknown>(data: Buffer): ParsedJournal<T> {
  const entries: T[] = [];
  const pendingBad: BadLine[] = [];
  const corrupt: BadLine[] = [];
  let validBytes = 0;
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) break; // no newline: the rest is a torn tail
    const line = data.subarray(start, end);
    const value = decodeLine(line);
    if (value === undefined) {
      pendingBad.push({ offset: start, bytes: Buffer.from(line) });
    } else {
      corrupt.push(...pendingBad.splice(0));
      entries.push(value as T);
      validBytes = end + 1;
    }
    start = end + 1;
  }
  const tornTail = validBytes < data.length ? { offset: validBytes, bytes: Buffer.from(data.subarray(validBytes)) } : null;
  return { entries, validBytes, corrupt, tornTail };
}

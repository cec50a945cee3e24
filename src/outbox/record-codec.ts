/**
 * The journal's on-disk framing: one record per line, `<crc32 as 8 hex digits> <JSON>\n`.
 *
 * Text lines keep the journal readable with `less` on a kiosk, JSON never contains a raw newline, and the
 * CRC catches both a torn write and a flipped bit. On read there are exactly two kinds of bad bytes:
 * - a **torn tail**: bytes after the last newline. An append is one write ending in a newline, so power lost
 *   mid-append leaves a final line without one; its fsync had not returned, so nobody was told it counted.
 * - **damage**: a complete line (it ends in a newline) that fails its checksum or does not parse. A torn
 *   write cannot produce one, so it is reported wherever it sits — last line included — and never cut off.
 * A damaged line that swallowed the next one (its own end, newline included, lost) is split: the valid line
 * found at its end is kept ("resynchronisation"), only the damaged front is reported.
 */
import { crc32 } from 'node:zlib';

const NEWLINE = 0x0a;
const SPACE = 0x20;

export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface BadLine {
  /** Byte offset in the file. */
  offset: number;
  bytes: Buffer;
}

export interface ParsedJournal<T = unknown> {
  entries: T[];
  /** Where each entry sits in the file (same order as `entries`): offset of its first byte, and its length with the newline. */
  spans: Array<{ offset: number; length: number }>;
  /** Byte length of the file up to and including its last newline: where a torn tail is cut off. */
  validBytes: number;
  /** Complete lines that fail their checksum or do not parse, in file order: damage, never cut off. */
  damaged: BadLine[];
  /** The bytes after the last newline (a torn append), or null when the file ends with a newline. */
  tornTail: BadLine | null;
}

export function decodeLine(line: Buffer): unknown {
  if (line.length < 10 || line[8] !== SPACE) return undefined;
  const hex = line.subarray(0, 8).toString('latin1');
  if (!/^[0-9a-f]{8}$/.test(hex)) return undefined;
  const body = line.subarray(9);
  if (crc32(body) !== Number.parseInt(hex, 16)) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const isHex = (byte: number | undefined) => byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66));

/** A valid line at the end of a damaged one (the damage ate the newline between them): where it starts, and its value. */
function validSuffix(line: Buffer): { at: number; value: unknown } | null {
  for (let at = 1; at + 10 <= line.length; at += 1) {
    if (line[at + 8] !== SPACE || (line[at + 9] !== 0x7b && line[at + 9] !== 0x5b)) continue; // "<8 hex> {" or "<8 hex> ["
    let hex = true;
    for (let k = at; k < at + 8 && hex; k += 1) hex = isHex(line[k]);
    if (!hex) continue;
    const value = decodeLine(line.subarray(at));
    if (value !== undefined) return { at, value };
  }
  return null;
}

export function parseJournal<T = unknown>(data: Buffer): ParsedJournal<T> {
  const parsed: ParsedJournal<T> = { entries: [], spans: [], validBytes: 0, damaged: [], tornTail: null };
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) break; // no newline: the rest is a torn tail
    const line = data.subarray(start, end);
    const value = decodeLine(line);
    if (value !== undefined) {
      parsed.entries.push(value as T);
      parsed.spans.push({ offset: start, length: end + 1 - start });
    } else {
      const suffix = validSuffix(line);
      parsed.damaged.push({ offset: start, bytes: Buffer.from(suffix ? line.subarray(0, suffix.at) : line) });
      if (suffix) {
        parsed.entries.push(suffix.value as T);
        parsed.spans.push({ offset: start + suffix.at, length: end + 1 - start - suffix.at });
      }
    }
    start = end + 1;
  }
  parsed.validBytes = start;
  if (start < data.length) parsed.tornTail = { offset: start, bytes: Buffer.from(data.subarray(start)) };
  return parsed;
}

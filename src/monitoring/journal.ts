/**
 * Monitoring's durable files: append-only lines `<crc32 hex> <JSON>\n`, the framing the outbox journal uses
 * (src/outbox/record-codec.ts; a feature may not import another feature's internals, so the few lines live
 * here too — both belong in src/storage/ one day). `append` resolves only after the bytes are fsynced;
 * appends that arrive during a sync share the next one (group commit). On open, a torn tail — bytes after
 * the last valid line, which were never acknowledged — is cut off; a bad line with good lines after it is
 * skipped and counted.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { fsyncDir } from '../storage/durable-fs.js';

const NEWLINE = 0x0a;

export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

function decodeLine(line: Buffer): unknown {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const body = line.subarray(9);
  if (crc32(body) !== Number.parseInt(line.subarray(0, 8).toString('latin1'), 16)) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export interface ParsedLines<T> {
  entries: T[];
  /** Bytes up to and including the last valid line. */
  validBytes: number;
  /** Bad lines with valid lines after them (corruption, not a torn write). */
  corrupt: number;
}

export function parseLines<T>(data: Buffer): ParsedLines<T> {
  const entries: T[] = [];
  let validBytes = 0;
  let corrupt = 0;
  let pendingBad = 0;
  for (let start = 0; start < data.length; ) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) break;
    const value = decodeLine(data.subarray(start, end));
    if (value === undefined) pendingBad += 1;
    else {
      corrupt += pendingBad;
      pendingBad = 0;
      entries.push(value as T);
      validBytes = end + 1;
    }
    start = end + 1;
  }
  return { entries, validBytes, corrupt };
}

interface Waiter {
  data: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class AppendFile {
  private queue: Waiter[] = [];
  private draining = false;
  private idle: Array<() => void> = [];
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private bytes: number,
  ) {}

  /** Open for appending (creating it, durably, if needed) after cutting a torn tail; returns what it held. */
  static async open<T>(file: string): Promise<{ journal: AppendFile; parsed: ParsedLines<T> }> {
    const existing = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const parsed = parseLines<T>(existing ?? Buffer.alloc(0));
    const handle = await open(file, 'a');
    if (existing === null) await fsyncDir(path.dirname(file));
    else if (parsed.validBytes < existing.length) {
      await handle.truncate(parsed.validBytes);
      await handle.sync();
    }
    return { journal: new AppendFile(file, handle, parsed.validBytes), parsed };
  }

  get size(): number {
    return this.bytes;
  }

  append(values: readonly unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file} is closed`));
    const data = values.map(encodeLine).join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.draining) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const round = this.queue.splice(0);
      const buffer = Buffer.from(round.map((w) => w.data).join(''), 'utf8');
      try {
        for (let written = 0; written < buffer.length; ) written += (await this.handle.write(buffer, written, buffer.length - written)).bytesWritten;
        await this.handle.sync();
        this.bytes += buffer.length;
        for (const w of round) w.resolve();
      } catch (err) {
        // Cut a partial line off so the next append starts clean (ENOSPC, EIO…).
        await this.handle.truncate(this.bytes).catch(() => undefined);
        const error = err instanceof Error ? err : new Error(String(err));
        for (const w of round) w.reject(error);
      }
    }
    this.draining = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/**
 * The technician audit log: one JSON line per entry in <dataDir>/maintenance/audit.jsonl, fsynced before
 * `record` resolves (technician actions are rare, so one fsync each costs nothing and loses nothing).
 *
 * An entry is never edited in place: marking it reported appends the whole entry again, and on open the later
 * copy of an id wins (keeping the first one's position). A torn last line — a write cut by a power loss, never
 * acknowledged — is dropped and cut off so the next line starts clean. The file stays bounded: past
 * `maxEntries` (plus slack, so it is not rewritten on every action) it is rewritten atomically with the newest
 * `maxEntries` entries.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { AuditEntrySchema } from '../contract/technician.js';
import { createLogger } from '../log/logger.js';
import { fsyncDir, replaceFileAtomic } from '../storage/durable-fs.js';

const log = createLogger('maintenance.audit');

export type AuditEntry = z.output<typeof AuditEntrySchema>;
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'reported'>;

export interface AuditLogOptions {
  file: string;
  /** Entries kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export interface AuditQuery {
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
  limit?: number;
}

export class AuditLog {
  /** Oldest first, by id; a Map keeps the first insertion's order when an id is set again. */
  private readonly entries = new Map<string, AuditEntry>();
  private lines: number;
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    loaded: AuditEntry[],
    lines: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {
    for (const entry of loaded) this.entries.set(entry.id, entry);
    this.lines = lines;
  }

  static async open({ file, maxEntries = 5_000, now = Date.now }: AuditLogOptions): Promise<AuditLog> {
    const existing = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const { entries, lines, validBytes } = parse(existing ?? Buffer.alloc(0));
    const handle = await open(file, 'a');
    if (existing === null) await fsyncDir(path.dirname(file));
    else if (validBytes < existing.length) {
      log.warn('dropped a torn last line of the audit log', { bytes: existing.length - validBytes });
      await handle.truncate(validBytes);
      await handle.sync();
    }
    return new AuditLog(file, handle, entries, lines, maxEntries, now);
  }

  /** Record one action durably; resolves with the stored entry once it is on disk. */
  record(entry: NewAuditEntry): Promise<AuditEntry> {
    const stored: AuditEntry = { id: randomUUID(), at: this.now(), reported: false, ...entry };
    return this.write(stored).then(() => stored);
  }

  /** The server acknowledged the entry's maintenance command. */
  async markReported(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.reported) return;
    await this.write({ ...entry, reported: true });
  }

  /** Newest first. */
  list({ from, to, limit = 200 }: AuditQuery = {}): AuditEntry[] {
    const out: AuditEntry[] = [];
    const all = [...this.entries.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = all[i]!;
      if (from !== undefined && entry.at < from) continue;
      if (to !== undefined && entry.at >= to) continue;
      out.push(entry);
    }
    return out;
  }

  get(id: string): AuditEntry | undefined {
    return this.entries.get(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.turn;
    await this.handle.close();
  }

  /** Writes run one at a time, so a compaction never races an append. */
  private write(entry: AuditEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file} is closed`));
    const run = this.turn.then(async () => {
      await this.handle.write(`${JSON.stringify(entry)}\n`);
      await this.handle.sync();
      this.entries.set(entry.id, entry);
      this.lines += 1;
      await this.compactIfLarge();
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async compactIfLarge(): Promise<void> {
    if (this.lines <= this.maxEntries + Math.max(50, Math.floor(this.maxEntries / 4))) return;
    const all = [...this.entries.values()];
    for (const old of all.slice(0, Math.max(0, all.length - this.maxEntries))) this.entries.delete(old.id);
    const kept = [...this.entries.values()];
    await replaceFileAtomic(this.file, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
    // The old handle points at the replaced inode: reopen for appending to the new file.
    await this.handle.close();
    this.handle = await open(this.file, 'a');
    this.lines = kept.length;
  }
}

function parse(data: Buffer): { entries: AuditEntry[]; lines: number; validBytes: number } {
  const byId = new Map<string, AuditEntry>();
  let lines = 0;
  let validBytes = 0;
  for (let start = 0; start < data.length; ) {
    const end = data.indexOf(0x0a, start);
    if (end < 0) break; // a torn tail: never acknowledged
    const entry = parseEntry(data.subarray(start, end).toString('utf8'));
    if (entry) byId.set(entry.id, entry);
    else log.warn('skipped an unreadable audit line');
    lines += 1;
    validBytes = end + 1;
    start = end + 1;
  }
  return { entries: [...byId.values()], lines, validBytes };
}

function parseEntry(line: string): AuditEntry | null {
  try {
    const value = JSON.parse(line) as Partial<AuditEntry>;
    if (typeof value.id !== 'string' || typeof value.at !== 'number' || typeof value.action !== 'string') return null;
    return value as AuditEntry;
  } catch {
    return null;
  }
}

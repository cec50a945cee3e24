/**
 * The clock's durable memory, one small JSON file (<dataDir>/clock/timezone-sync.json): the zone the machine
 * showed and where it came from (so a restart starts in the right zone, and a restart is not a "zone
 * change"), how often and when the zone changed, the timezone-sync figures and the spelling of the endpoint
 * that answered. Read once at start-up (synchronously: it is tiny and the clock must show a zone at once);
 * every change is written atomically (old or new file after a power cut, never half of one), writes in order
 * and coalesced. A damaged file is set aside and the record starts empty: these are figures, not credits.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import { replaceFileAtomic } from '../storage/durable-fs.js';

const log = createLogger('clock');

const recordSchema = z.object({
  version: z.literal(1),
  zone: z.object({ timezone: z.string(), source: z.enum(['local', 'timezone_sync', 'handshake', 'kiosk_config', 'config']) }).nullable(),
  zoneChanges: z.number().int().nonnegative(),
  lastZoneChangeAt: z.number().nullable(),
  spelling: z.enum(['slash', 'dash']).nullable(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  lastSyncAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  lastResult: z.enum(['synced', 'failed']).nullable(),
  lastError: z.string().nullable(),
  lastMethod: z.enum(['automatic', 'manual']).nullable(),
  server: z.object({ timezone: z.string().nullable(), lastSyncAt: z.string().nullable(), syncCount: z.number().int().nullable(), readAt: z.number() }).nullable(),
});

export type SyncRecordData = z.infer<typeof recordSchema>;

export const EMPTY_RECORD: SyncRecordData = {
  version: 1,
  zone: null,
  zoneChanges: 0,
  lastZoneChangeAt: null,
  spelling: null,
  successes: 0,
  failures: 0,
  lastSyncAt: null,
  lastAttemptAt: null,
  lastResult: null,
  lastError: null,
  lastMethod: null,
  server: null,
};

export class SyncRecord {
  private value: SyncRecordData;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private writeFailed = false;

  private constructor(
    readonly file: string | null,
    initial: SyncRecordData,
  ) {
    this.value = initial;
  }

  /** Kept in memory only (tests, a kiosk without a data folder). */
  static inMemory(initial: Partial<SyncRecordData> = {}): SyncRecord {
    return new SyncRecord(null, { ...EMPTY_RECORD, ...initial });
  }

  static open(dir: string): SyncRecord {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'timezone-sync.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new SyncRecord(file, { ...EMPTY_RECORD });
    }
    const parsed = safeJson(text);
    const checked = recordSchema.safeParse(parsed);
    if (checked.success) return new SyncRecord(file, checked.data);
    const aside = `${file}.damaged-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch {
      // Could not move it: it is overwritten by the next write anyway.
    }
    log.warn('time-zone sync record unreadable: set aside, starting from empty figures', { file: aside });
    return new SyncRecord(file, { ...EMPTY_RECORD });
  }

  get data(): Readonly<SyncRecordData> {
    return this.value;
  }

  update(patch: Partial<Omit<SyncRecordData, 'version'>>): void {
    this.value = { ...this.value, ...patch };
    this.schedule();
  }

  /** Resolves once everything updated so far is on disk (or failed to get there). */
  async flush(): Promise<void> {
    while (true) {
      const pending = this.writing;
      await pending;
      if (pending === this.writing && !this.dirty) return;
    }
  }

  private schedule(): void {
    if (!this.file) return;
    if (this.dirty) return; // the queued write will take the latest value
    this.dirty = true;
    const file = this.file;
    this.writing = this.writing.then(async () => {
      this.dirty = false;
      try {
        await replaceFileAtomic(file, `${JSON.stringify(this.value, null, 2)}\n`);
        if (this.writeFailed) log.info('time-zone sync record written again', {});
        this.writeFailed = false;
      } catch (err) {
        // Logged once per run of failures: a full disk must not fill the log as well.
        if (!this.writeFailed) log.warn('time-zone sync record not written (figures kept in memory)', { error: String(err) });
        this.writeFailed = true;
      }
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

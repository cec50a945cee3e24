/**
 * Backups as the kiosk runs them: on a schedule and on a technician's demand, one at a time, each followed
 * by pruning to the newest N and — where the server offers the designed endpoints — an upload. Progress
 * goes out as one state object (phase, percent, last backup, last error code) for the maintenance screen.
 * A failed scheduled backup is logged once and tried again at the next period: never a retry loop.
 */
import { spreadDelay } from '../core/backoff.js';
import { createLogger } from '../log/logger.js';
import { createBackup, type CreatedBackup } from './create-backup.js';
import { BackupError, codeOf, type BackupErrorCode } from './errors.js';
import type { BackupManifest } from './manifest.js';
import { listArchives, prune, type ArchiveInfo } from './retention.js';
import { copyToUsb } from './usb.js';

const log = createLogger('backup');
/** First scheduled backup of a machine with none on disk: soon after start, not a whole period later. */
const FIRST_DELAY_MS = 60_000;

export type BackupPhase = 'idle' | 'collecting' | 'archiving' | 'uploading' | 'copying' | 'restoring' | 'done' | 'failed';
export type UploadOutcome = { outcome: 'uploaded' } | { outcome: 'unsupported' } | { outcome: 'failed'; message: string };

/** The server side of a backup (src/server/endpoints/designed-backup.ts in production). */
export interface BackupUploader {
  upload(backup: CreatedBackup): Promise<UploadOutcome>;
  /** 'absent' once the server showed it has no backup endpoints (then no upload is tried again this run). */
  availability(): 'unknown' | 'available' | 'absent';
}

export interface BackupStatus {
  phase: BackupPhase;
  percent: number;
  operation: 'backup' | 'usb' | 'restore' | null;
  lastBackupAt: string | null;
  lastFile: string | null;
  lastError: BackupErrorCode | null;
  lastErrorMessage: string | null;
  lastUpload: 'uploaded' | 'unsupported' | 'failed' | 'off' | null;
  server: 'unknown' | 'available' | 'absent' | 'off';
}

export interface BackupServiceOptions {
  dataDir: string;
  dir: string;
  keep: number;
  version: string;
  machine: () => BackupManifest['machine'];
  settings: () => unknown;
  uploader: BackupUploader | null;
  onState?: (state: BackupStatus) => void;
  now?: () => Date;
}

export class BackupService {
  private status: BackupStatus = { phase: 'idle', percent: 0, operation: null, lastBackupAt: null, lastFile: null, lastError: null, lastErrorMessage: null, lastUpload: null, server: 'off' };
  private running: Promise<unknown> | null = null;
  private spreadMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: BackupServiceOptions) {}

  /** Pick up the newest archive on disk as "last backup". */
  async init(): Promise<void> {
    const newest = (await listArchives(this.opts.dir))[0];
    this.set({ lastBackupAt: newest ? new Date(newest.at).toISOString() : null, lastFile: newest?.file ?? null });
  }

  state(): BackupStatus {
    return { ...this.status, server: this.opts.uploader ? this.opts.uploader.availability() : 'off' };
  }

  list(): Promise<ArchiveInfo[]> {
    return listArchives(this.opts.dir);
  }

  /** Take a backup now. Refused with `backup_busy` while another backup, copy or restore runs. */
  create(): Promise<CreatedBackup & { upload: BackupStatus['lastUpload'] }> {
    return this.exclusive('backup', async () => {
      const created = await createBackup({
        dataDir: this.opts.dataDir, dir: this.opts.dir, version: this.opts.version, machine: this.opts.machine(), settings: this.opts.settings(),
        ...(this.opts.now ? { now: this.opts.now } : {}),
        onProgress: (phase, percent) => this.set({ phase, percent }),
      });
      await prune(this.opts.dir, this.opts.keep).catch((err: unknown) => log.warn('could not prune old backups', { error: String(err) }));
      this.set({ lastBackupAt: created.manifest.createdAt, lastFile: created.file });
      const upload = await this.upload(created);
      log.info('backup written', { file: created.file, bytes: created.bytes, files: created.manifest.files.length, upload });
      return { ...created, upload };
    });
  }

  /** Copy the newest backup (taking one first when there is none) to a USB drive folder. */
  toUsb(dir: string): Promise<{ file: string }> {
    return this.exclusive('usb', async () => {
      const newest = (await listArchives(this.opts.dir))[0];
      if (!newest) throw new BackupError('backup_not_found', 'no backup to copy yet: take one first');
      this.set({ phase: 'copying', percent: 10 });
      return { file: await copyToUsb(newest.file, dir) };
    });
  }

  /** Run `work` as the one operation in progress, reporting its end as done or failed with a code. */
  async exclusive<T>(operation: 'backup' | 'usb' | 'restore', work: () => Promise<T>): Promise<T> {
    if (this.running) throw new BackupError('backup_busy', `a ${this.status.operation ?? 'backup'} is already running`);
    this.set({ operation, phase: operation === 'usb' ? 'copying' : operation === 'restore' ? 'restoring' : 'collecting', percent: 0 });
    const run = work();
    this.running = run;
    try {
      const result = await run;
      this.set({ phase: 'done', percent: 100, lastError: null, lastErrorMessage: null });
      return result;
    } catch (err) {
      this.set({ phase: 'failed', lastError: codeOf(err), lastErrorMessage: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      this.running = null;
    }
  }

  /**
   * Scheduled backups every `intervalMs`, the next one due a period after the last on disk. Each run (the
   * first too) also waits a random time within `spreadMs`: the backups are uploaded, and a fleet started
   * together must not upload in the same second every day (docs/performance.md, "Fleet through an outage").
   */
  startSchedule(intervalMs: number, spreadMs = 0): void {
    const last = this.status.lastBackupAt ? Date.parse(this.status.lastBackupAt) : null;
    const now = (this.opts.now?.() ?? new Date()).getTime();
    this.spreadMs = spreadMs;
    this.arm(last === null ? FIRST_DELAY_MS : Math.max(FIRST_DELAY_MS, last + intervalMs - now), intervalMs);
  }

  stop(): Promise<unknown> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.running?.catch(() => undefined) ?? Promise.resolve();
  }

  private arm(delayMs: number, intervalMs: number): void {
    this.timer = setTimeout(() => {
      this.create()
        .catch((err: unknown) => log.error('scheduled backup failed; trying again at the next period', { code: codeOf(err), error: String(err) }))
        .finally(() => {
          if (this.timer) this.arm(intervalMs, intervalMs);
        });
    }, delayMs + spreadDelay(this.spreadMs));
    this.timer.unref();
  }

  private async upload(created: CreatedBackup): Promise<BackupStatus['lastUpload']> {
    const uploader = this.opts.uploader;
    if (!uploader) return this.set({ lastUpload: 'off' }), 'off';
    if (uploader.availability() === 'absent') return this.set({ lastUpload: 'unsupported' }), 'unsupported';
    this.set({ phase: 'uploading', percent: 90 });
    const result = await uploader.upload(created);
    this.set({ lastUpload: result.outcome });
    // The archive is safe on disk: a failed upload is reported, not a failed backup.
    if (result.outcome === 'failed') log.warn('backup upload failed; the archive stays in the backup folder', { message: result.message });
    return result.outcome;
  }

  private set(patch: Partial<BackupStatus>): void {
    this.status = { ...this.status, ...patch };
    this.opts.onState?.(this.state());
  }
}

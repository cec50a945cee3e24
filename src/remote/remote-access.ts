/**
 * Remote-access sessions as the technician sees them (docs/remote-access.md): `start(minutes)` asks the
 * server for a session (designed `remote-access/start`, which hands out where to connect), then runs the
 * configured command as a child process with a hard time limit; `stop()`, the limit, or the kiosk's exit
 * end it, and the server is told once. Off unless `remoteAccess.enabled`; nothing here runs on a timer
 * except a session's own limit, so a server without the endpoints costs one probe per technician request.
 */
import { createLogger } from '../log/logger.js';
import { BoundedHistory } from '../storage/bounded-history.js';
import { reachableAddresses, type ReachableAddress } from './addresses.js';
import type { RemoteAccessConfig } from './config.js';
import { fillCommand, usesServerValues, type Grant } from './placeholders.js';
import { TunnelProcess, type EndReason } from './tunnel-process.js';

const log = createLogger('remote');

export type RemoteErrorCode = 'remote_disabled' | 'remote_unsupported' | 'remote_busy' | 'remote_start_failed';

export class RemoteAccessError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the kiosk needs from the server (wired in app/setup-remote-access.ts); `unsupported` = not offered. */
export interface RemoteServerPort {
  feature(): 'unknown' | 'available' | 'absent';
  start(req: { minutes: number; addresses: ReachableAddress[] }): Promise<{ kind: 'ok'; grant: Grant } | { kind: 'unsupported' | 'error'; message: string }>;
  stop(sessionId: string, reason: EndReason): Promise<void>;
}

export interface RemoteHistoryEntry {
  id: string;
  startedAt: number;
  endedAt: number | null;
  minutes: number;
  endReason: EndReason | null;
  /** The tunnel's far end, if the server named one (no credentials are ever kept). */
  host: string | null;
}

export interface RemoteState {
  enabled: boolean;
  active: boolean;
  sessionId: string | null;
  since: number | null;
  until: number | null;
  addresses: ReachableAddress[];
  lastError: RemoteErrorCode | null;
  lastErrorDetail: string | null;
  server: 'unknown' | 'available' | 'absent' | 'none';
  history: RemoteHistoryEntry[];
}

interface Running {
  id: string;
  since: number;
  until: number;
  process: TunnelProcess;
  entry: RemoteHistoryEntry;
}

export class RemoteAccess {
  private running: Running | null = null;
  private starting = false;
  private lastError: { code: RemoteErrorCode; detail: string } | null = null;

  private constructor(
    private readonly config: RemoteAccessConfig,
    private readonly server: RemoteServerPort | null,
    private readonly history: BoundedHistory<RemoteHistoryEntry>,
    private readonly onChange: (state: RemoteState) => void,
    private readonly addresses: () => ReachableAddress[],
  ) {}

  static async open(file: string, config: RemoteAccessConfig, server: RemoteServerPort | null, onChange: (s: RemoteState) => void, addresses = () => reachableAddresses()): Promise<RemoteAccess> {
    const isEntry = (v: unknown): v is RemoteHistoryEntry => !!v && typeof (v as RemoteHistoryEntry).id === 'string' && typeof (v as RemoteHistoryEntry).startedAt === 'number';
    return new RemoteAccess(config, server, await BoundedHistory.open(file, config.historySize, isEntry), onChange, addresses);
  }

  state(): RemoteState {
    const r = this.running;
    return {
      enabled: this.config.enabled,
      active: r !== null,
      sessionId: r?.id ?? null,
      since: r?.since ?? null,
      until: r?.until ?? null,
      addresses: this.addresses(),
      lastError: this.lastError?.code ?? null,
      lastErrorDetail: this.lastError?.detail ?? null,
      server: this.server?.feature() ?? 'none',
      history: this.history.list(10),
    };
  }

  historyList(limit: number): RemoteHistoryEntry[] {
    return this.history.list(limit);
  }

  async start(requestedMinutes?: number): Promise<RemoteState> {
    if (!this.config.enabled || this.config.command.length === 0) {
      throw this.fail('remote_disabled', this.config.enabled ? 'remoteAccess.command is empty' : 'remoteAccess.enabled is false');
    }
    if (this.running || this.starting) throw new RemoteAccessError('remote_busy', 'a session is already running');
    this.starting = true;
    try {
      const minutes = Math.min(this.config.maxMinutes, Math.max(1, Math.round(requestedMinutes ?? this.config.defaultMinutes)));
      const needsServer = usesServerValues(this.config.command);
      let grant: Grant = { sessionId: `local-${Date.now().toString(36)}` };
      const answer = this.server ? await this.server.start({ minutes, addresses: this.addresses() }) : { kind: 'unsupported' as const, message: 'no server link' };
      if (answer.kind === 'ok') grant = answer.grant;
      else if (needsServer) throw this.fail(answer.kind === 'unsupported' ? 'remote_unsupported' : 'remote_start_failed', answer.message);
      const argv = fillCommand(this.config.command, grant, minutes * 60);
      if (typeof argv === 'string') throw this.fail('remote_start_failed', argv);
      return this.launch(argv, grant, minutes);
    } finally {
      this.starting = false;
    }
  }

  /** Ends the running session (if any) and resolves once its process is gone. */
  async stop(reason: 'stopped' | 'shutdown' = 'stopped'): Promise<RemoteState> {
    await this.running?.process.end(reason);
    // The end is written to the history after the process is gone: a shutdown must not leave that write
    // running into a data folder being closed (or removed, in a test).
    await this.history.flushed();
    return this.state();
  }

  private launch(argv: string[], grant: Grant, minutes: number): RemoteState {
    const since = Date.now();
    const entry: RemoteHistoryEntry = { id: grant.sessionId, startedAt: since, endedAt: null, minutes, endReason: null, host: grant.host ?? null };
    let child: TunnelProcess;
    try {
      child = new TunnelProcess({ argv, limitMs: minutes * 60_000, logEveryMs: this.config.logEveryMs, onEnd: (reason, detail) => this.ended(entry, reason, detail) });
    } catch (err) {
      throw this.fail('remote_start_failed', err instanceof Error ? err.message : String(err));
    }
    this.running = { id: grant.sessionId, since, until: since + minutes * 60_000, process: child, entry };
    this.lastError = null;
    log.warn('remote-access session started', { sessionId: grant.sessionId, minutes, program: argv[0], pid: child.pid });
    this.changed();
    return this.state();
  }

  private ended(entry: RemoteHistoryEntry, reason: EndReason, detail: { code: number | null; signal: string | null; error?: string }): void {
    if (this.running?.entry === entry) this.running = null;
    entry.endedAt = Date.now();
    entry.endReason = reason;
    if (reason === 'failed' || (reason === 'exited' && detail.code !== 0)) {
      this.lastError = { code: 'remote_start_failed', detail: detail.error ?? `the command exited (code ${detail.code}, signal ${detail.signal})` };
    }
    log.warn('remote-access session ended', { sessionId: entry.id, reason, code: detail.code, signal: detail.signal });
    void this.history.append(entry).catch((err: Error) => log.error('remote-access history not saved', { error: err.message }));
    // The server is told once; a server without the endpoint was never asked to start, so is not asked now.
    if (this.server && !entry.id.startsWith('local-')) void this.server.stop(entry.id, reason).catch(() => undefined);
    this.changed();
  }

  private fail(code: RemoteErrorCode, detail: string): RemoteAccessError {
    this.lastError = { code, detail };
    this.changed();
    return new RemoteAccessError(code, detail);
  }

  private changed(): void {
    this.onChange(this.state());
  }
}

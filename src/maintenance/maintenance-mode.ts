/**
 * Maintenance mode as a small state holder: PIN entry through the lockout and the server's verdict,
 * exit by hand, by inactivity or at the server's session expiry. PIN attempts run one at a time so two
 * quick taps cannot both slip past the attempt counter.
 *
 * Technician rights belong to the connection that entered the PIN (one Electron window, one WebSocket), not
 * to every client: `allows(connectionId)` is the core's technician check. Only that connection (or trusted
 * in-process code) may exit or postpone the mode; when it closes, maintenance mode ends. Another connection
 * that enters the right PIN takes the rights over, after the same lockout as any attempt.
 */
import type { z } from 'zod';
import type { MaintenanceEnterReply, MaintenanceState } from '../contract/maintenance.js';
import { createLogger } from '../log/logger.js';
import type { PinLockout } from './pin-lockout.js';
import type { PinResult, PinVerifier } from './pin-verifier.js';
import { clampTimerMs } from '../core/backoff.js';

const log = createLogger('maintenance');

export type MaintenanceStatus = z.output<typeof MaintenanceState>;
export type EnterReply = z.output<typeof MaintenanceEnterReply>;

export interface MaintenanceHooks {
  onChange: (state: MaintenanceStatus) => void;
  /** Tell the machine status (ctx.status.setMaintenance). */
  setMaintenance: (on: boolean) => void;
  /**
   * The clock the screen counts down on (the server-synced one): it turns the lockout's durations and the
   * inactivity exit into the epoch times the contract carries. The lockout itself never reads it.
   */
  now?: () => number;
}

/** Who asks: the sending connection (null for in-process code or a caller that named none), and whether trusted. */
export interface Caller {
  connectionId: string | null;
  trusted: boolean;
}

const IN_PROCESS: Caller = { connectionId: null, trusted: true };

export class MaintenanceMode {
  private technician: string | null = null;
  /** The PIN reply's assignment id (null: offline entry, or a server that sent none). */
  private assignmentId: number | null = null;
  /** The PIN reply's permissions; null when it named none (offline entry): then everything is allowed. */
  private permissions: Record<string, boolean> | null = null;
  /** The connection that entered the PIN; null when trusted code opened the mode (then no UI holds the rights). */
  private owner: string | null = null;
  private autoExitAt: number | null = null;
  private sessionExpiresAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly lockout: PinLockout,
    private readonly verify: PinVerifier,
    private readonly inactivityMs: number,
    private readonly hooks: MaintenanceHooks,
  ) {
    this.now = hooks.now ?? Date.now;
  }

  state(): MaintenanceStatus {
    const lock = this.lockout.status();
    return {
      active: this.technician !== null,
      technicianName: this.technician,
      lockedUntil: this.until(lock.lockedForMs),
      remainingAttempts: this.technician !== null ? null : lock.remainingAttempts,
      autoExitAt: this.autoExitAt,
      permissions: this.technician === null ? null : this.permissions,
    };
  }

  /** Who is signed in, for stamping what they do (alert acknowledgements, resolves); null when nobody is. */
  technicianIdentity(): { name: string; assignmentId: number | null } | null {
    return this.technician === null ? null : { name: this.technician, assignmentId: this.assignmentId };
  }

  /** The server's permissions map for the technician signed in; null when none was sent (allow all). */
  permissionMap(): Readonly<Record<string, boolean>> | null {
    return this.technician === null ? null : this.permissions;
  }

  /** Whether `connectionId` holds the technician rights (the core's technician check). */
  allows(connectionId: string | null): boolean {
    return this.technician !== null && connectionId !== null && connectionId === this.owner;
  }

  enter(pin: string, from: Caller = IN_PROCESS): Promise<EnterReply> {
    const run = this.turn.then(() => this.attempt(pin, from));
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Leave maintenance mode; from a UI only the technician's own connection may. */
  exit(reason = 'technician', from: Caller = IN_PROCESS): MaintenanceStatus {
    if (this.technician !== null && !this.mayControl(from)) {
      log.warn('refused maintenance exit from a connection without technician rights');
      return this.state();
    }
    if (this.technician !== null) {
      log.info('maintenance mode ended', { reason });
      this.technician = null;
      this.assignmentId = null;
      this.permissions = null;
      this.owner = null;
      this.autoExitAt = null;
      this.sessionExpiresAt = null;
      this.hooks.setMaintenance(false);
    }
    this.arm();
    return this.publish();
  }

  /** Technician activity: push the inactivity exit back (only the technician's connection can). */
  touch(from: Caller = IN_PROCESS): MaintenanceStatus {
    if (this.technician !== null && !this.mayControl(from)) return this.state();
    this.arm();
    return this.publish();
  }

  /** A host's connection is gone: if it held the rights, maintenance mode ends with it. */
  connectionClosed(connectionId: string): void {
    if (this.technician !== null && this.owner === connectionId) this.exit('technician connection closed');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private mayControl(from: Caller): boolean {
    return from.trusted || (from.connectionId !== null && from.connectionId === this.owner);
  }

  private async attempt(pin: string, from: Caller): Promise<EnterReply> {
    if (!/^\d{6}$/.test(pin)) return { ok: false, error: 'wrong_pin', message: 'the PIN is 6 digits' };
    // Already in on this connection: nothing to check. Any other connection goes through the lockout and the
    // server like everyone else; the rights never spread to it.
    if (this.technician !== null && from.connectionId === this.owner) return { ok: true, technicianName: this.technician };
    const gate = await this.lockout.beginAttempt();
    if (!gate.allowed) return this.reply({ ok: false, error: 'locked', lockedUntil: this.now() + gate.lockedForMs, remainingAttempts: 0 });
    const result = await this.verify(pin).catch((err: unknown): PinResult => ({ kind: 'unavailable', message: err instanceof Error ? err.message : String(err) }));
    switch (result.kind) {
      case 'ok':
        await this.lockout.succeeded();
        if (this.technician !== null) log.warn('technician rights moved to another connection after a correct PIN');
        this.technician = result.technicianName;
        this.assignmentId = result.assignmentId ?? null;
        this.permissions = result.permissions ? { ...result.permissions } : null;
        this.owner = from.connectionId;
        this.sessionExpiresAt = result.expiresAt ?? null;
        this.hooks.setMaintenance(true);
        log.info('maintenance mode started', { technician: result.technicianName });
        this.arm();
        return this.reply({ ok: true, technicianName: result.technicianName });
      case 'wrong': {
        const lock = this.lockout.status();
        const remaining = Math.min(lock.remainingAttempts, result.remainingAttempts ?? Number.POSITIVE_INFINITY);
        log.warn('wrong technician PIN', { remainingAttempts: remaining });
        const lockedUntil = this.until(lock.lockedForMs);
        return this.reply({ ok: false, error: 'wrong_pin', remainingAttempts: remaining, ...(lockedUntil !== null ? { lockedUntil } : {}) });
      }
      case 'locked': {
        await this.lockout.lockedByServer(result.retryAfterSec);
        const lockedUntil = this.until(this.lockout.status().lockedForMs) ?? this.now() + result.retryAfterSec * 1000;
        log.warn('server locked the technician PIN', { retryAfterSec: result.retryAfterSec });
        return this.reply({ ok: false, error: 'locked', lockedUntil, remainingAttempts: 0 });
      }
      case 'unavailable':
        await this.lockout.notJudged(gate.token);
        log.warn('PIN could not be checked', { error: result.message });
        return this.reply({ ok: false, error: 'unavailable', message: result.message });
    }
  }

  private reply(reply: EnterReply): EnterReply {
    this.arm();
    this.publish();
    return reply;
  }

  /** One timer for whichever comes first: inactivity exit, session expiry, or the keypad unlocking. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.now();
    if (this.technician !== null) {
      this.autoExitAt = Math.min(now + this.inactivityMs, this.sessionExpiresAt ?? Number.POSITIVE_INFINITY);
      const reason = this.autoExitAt === this.sessionExpiresAt ? 'session expired' : 'inactivity';
      this.timer = setTimeout(() => this.exit(reason), clampTimerMs(this.autoExitAt - now));
    } else {
      const lockedForMs = this.lockout.status().lockedForMs;
      // Publish again when the keypad unlocks, so the UI drops its countdown by itself.
      if (lockedForMs !== null) this.timer = setTimeout(() => this.touch(), clampTimerMs(lockedForMs + 10));
    }
    this.timer?.unref();
  }

  /** A lockout duration as the epoch time the screen counts down to. */
  private until(lockedForMs: number | null): number | null {
    return lockedForMs === null ? null : this.now() + lockedForMs;
  }

  private publish(): MaintenanceStatus {
    const state = this.state();
    this.hooks.onChange(state);
    return state;
  }
}

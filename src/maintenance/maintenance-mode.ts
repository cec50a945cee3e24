/**
 * Maintenance mode as a small state holder: PIN entry through the lockout and the server's verdict,
 * exit by hand, by inactivity or at the server's session expiry. PIN attempts run one at a time so two
 * quick taps cannot both slip past the attempt counter.
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
  now?: () => number;
}

export class MaintenanceMode {
  private technician: string | null = null;
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
      lockedUntil: lock.lockedUntil,
      remainingAttempts: this.technician !== null ? null : lock.remainingAttempts,
      autoExitAt: this.autoExitAt,
    };
  }

  enter(pin: string): Promise<EnterReply> {
    const run = this.turn.then(() => this.attempt(pin));
    this.turn = run.catch(() => undefined);
    return run;
  }

  exit(reason = 'technician'): MaintenanceStatus {
    if (this.technician !== null) {
      log.info('maintenance mode ended', { reason });
      this.technician = null;
      this.autoExitAt = null;
      this.sessionExpiresAt = null;
      this.hooks.setMaintenance(false);
    }
    this.arm();
    return this.publish();
  }

  /** Technician activity: push the inactivity exit back. */
  touch(): MaintenanceStatus {
    this.arm();
    return this.publish();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async attempt(pin: string): Promise<EnterReply> {
    if (!/^\d{6}$/.test(pin)) return { ok: false, error: 'wrong_pin', message: 'the PIN is 6 digits' };
    if (this.technician !== null) return { ok: true, technicianName: this.technician };
    const gate = await this.lockout.beginAttempt();
    if (!gate.allowed) return this.reply({ ok: false, error: 'locked', lockedUntil: gate.lockedUntil, remainingAttempts: 0 });
    const result = await this.verify(pin).catch((err: unknown): PinResult => ({ kind: 'unavailable', message: err instanceof Error ? err.message : String(err) }));
    switch (result.kind) {
      case 'ok':
        await this.lockout.succeeded();
        this.technician = result.technicianName;
        this.sessionExpiresAt = result.expiresAt ?? null;
        this.hooks.setMaintenance(true);
        log.info('maintenance mode started', { technician: result.technicianName });
        this.arm();
        return this.reply({ ok: true, technicianName: result.technicianName });
      case 'wrong': {
        const lock = this.lockout.status();
        const remaining = Math.min(lock.remainingAttempts, result.remainingAttempts ?? Number.POSITIVE_INFINITY);
        log.warn('wrong technician PIN', { remainingAttempts: remaining });
        return this.reply({ ok: false, error: 'wrong_pin', remainingAttempts: remaining, ...(lock.lockedUntil ? { lockedUntil: lock.lockedUntil } : {}) });
      }
      case 'locked': {
        await this.lockout.lockedByServer(result.retryAfterSec);
        const lockedUntil = this.lockout.status().lockedUntil ?? this.now() + result.retryAfterSec * 1000;
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
      const lockedUntil = this.lockout.status().lockedUntil;
      // Publish again when the keypad unlocks, so the UI drops its countdown by itself.
      if (lockedUntil !== null) this.timer = setTimeout(() => this.touch(), clampTimerMs(lockedUntil - now + 10));
    }
    this.timer?.unref();
  }

  private publish(): MaintenanceStatus {
    const state = this.state();
    this.hooks.onChange(state);
    return state;
  }
}

/**
 * The recycler's session as a small state machine. Transitions are data (the table below) so tests can walk
 * them. The phases that wait on a person have a timeout (waiting_login, active, finished) so a walk-away never
 * leaves the machine stuck; `processing` ends when the deposit pipeline settles the item, whose own waits
 * on the machine and the camera are bounded. Before the active deadline a full-screen "are you still there?"
 * prompt shows from `promptAt`; `extend()` (the prompt's Continue) pushes the deadline back. A timeout in
 * `active` ends the session as `finished` with every item and point kept: credits are durable once counted.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SessionState as SessionStateSchema } from '../contract/session.js';

export type SessionState = z.output<typeof SessionStateSchema>;
export type Phase = SessionState['phase'];
export type SessionEvent = 'start_guest' | 'start_qr' | 'authorized' | 'item_begin' | 'item_end' | 'finish' | 'cancel' | 'timeout' | 'reset';

/** phase → event → next phase. A pair missing from the table is an event the phase ignores. */
export const transitions: Record<Phase, Partial<Record<SessionEvent, Phase>>> = {
  idle: { start_guest: 'active', start_qr: 'waiting_login' },
  waiting_login: { authorized: 'active', start_guest: 'active', cancel: 'idle', timeout: 'idle' },
  active: { item_begin: 'processing', finish: 'finished', cancel: 'finished', timeout: 'finished' },
  processing: { item_end: 'active' },
  finished: { reset: 'idle', timeout: 'idle', start_guest: 'active', start_qr: 'waiting_login' },
};

export interface SessionTimeouts {
  waitingLoginMs: number;
  activeIdleMs: number;
  finishedMs: number;
  /** How long before the active deadline the "are you still there?" prompt shows (default 20 s). */
  stillTherePromptMs?: number;
}

export const DEFAULT_STILL_THERE_PROMPT_MS = 20_000;

export const defaultTimeouts: SessionTimeouts = { waitingLoginMs: 120_000, activeIdleMs: 90_000, finishedMs: 15_000, stillTherePromptMs: DEFAULT_STILL_THERE_PROMPT_MS };

export function idleState(): SessionState {
  return {
    phase: 'idle', sessionId: null, mode: null, userName: null, items: [], totalPoints: 0, deadline: null, qr: null,
    claimCode: null, claimUrl: null, donated: false, promptAt: null, balance: null, serverSessionId: null,
  };
}

/** Events that end an active session: held back while an item is still on its way (hold()). */
const ENDING: ReadonlySet<SessionEvent> = new Set(['finish', 'cancel', 'timeout']);

export class SessionFlow {
  private state: SessionState = idleState();
  private timer: NodeJS.Timeout | null = null;
  private holds = 0;
  private deferred: SessionEvent | null = null;

  constructor(
    private readonly onChange: (state: SessionState) => void,
    private readonly timeouts: SessionTimeouts = defaultTimeouts,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): SessionState {
    return this.state;
  }

  /** Apply an event; returns false when the current phase does not accept it. */
  send(event: SessionEvent, patch: Partial<SessionState> = {}): boolean {
    const next = transitions[this.state.phase][event];
    if (!next) return false;
    if (this.holds > 0 && ENDING.has(event)) {
      // An item is still riding to its bin: its result belongs to this session, so the end waits for it.
      this.deferred ??= event;
      return true;
    }
    if (next !== 'active' && next !== 'processing') this.deferred = null;
    const base: SessionState = next === 'idle' ? idleState() : this.state;
    const startsNew = (event === 'start_guest' || event === 'start_qr') && (this.state.phase === 'idle' || this.state.phase === 'finished');
    const fresh = startsNew ? { ...idleState(), sessionId: randomUUID(), mode: event === 'start_guest' ? ('guest' as const) : null } : {};
    const mode = event === 'authorized' ? 'member' : event === 'start_guest' ? 'guest' : undefined;
    const deadline = this.deadlineFor(next);
    this.state = { ...base, ...fresh, ...(mode ? { mode } : {}), ...patch, phase: next, deadline, promptAt: this.promptFor(next, deadline) };
    this.armTimer(next);
    this.onChange(this.state);
    return true;
  }

  /** Change data without a phase change (an item added, a QR refreshed). */
  update(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    if (this.state.phase === 'active') this.rearm();
    this.onChange(this.state);
  }

  /**
   * The recycler is still there ("Continue" on the prompt, or any touch the screen reports): in `active` the
   * idle deadline starts over and the prompt goes; on the end screen its timer starts over (time to scan the
   * claim QR). Returns false in a phase with nothing to extend (idle, processing: no deadline runs there).
   */
  extend(): boolean {
    if (this.state.phase !== 'active' && this.state.phase !== 'finished') return false;
    this.state = { ...this.state };
    this.rearm();
    this.onChange(this.state);
    return true;
  }

  /**
   * An item is unfinished (in the intake or riding to its bin): finish, cancel and timeout of the active
   * session wait until every hold is released, then the first of them asked for is carried out. Returns the
   * release; releasing twice is harmless.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds > 0 || this.deferred === null) return;
      const event = this.deferred;
      this.deferred = null;
      this.send(event);
    };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A fresh deadline (and prompt time) for the current phase, with its timer. */
  private rearm(): void {
    const deadline = this.deadlineFor(this.state.phase);
    this.state.deadline = deadline;
    this.state.promptAt = this.promptFor(this.state.phase, deadline);
    this.armTimer(this.state.phase);
  }

  /** The prompt shows only in `active`, `stillTherePromptMs` before the deadline (never before now). */
  private promptFor(phase: Phase, deadline: number | null): number | null {
    if (phase !== 'active' || deadline === null) return null;
    const lead = this.timeouts.stillTherePromptMs ?? DEFAULT_STILL_THERE_PROMPT_MS;
    return Math.max(this.now(), deadline - lead);
  }

  private deadlineFor(phase: Phase): number | null {
    const ms = this.timeoutFor(phase);
    return ms === null ? null : this.now() + ms;
  }

  private timeoutFor(phase: Phase): number | null {
    switch (phase) {
      case 'waiting_login':
        return this.timeouts.waitingLoginMs;
      case 'active':
        return this.timeouts.activeIdleMs;
      case 'finished':
        return this.timeouts.finishedMs;
      default:
        return null;
    }
  }

  private armTimer(phase: Phase): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ms = this.timeoutFor(phase);
    if (ms === null) return;
    this.timer = setTimeout(() => this.send('timeout'), ms);
    this.timer.unref();
  }
}

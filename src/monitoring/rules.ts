/**
 * The rule engine, pure: readings in, decisions out ("raise rule X with this value", "clear rule X"). It
 * knows nothing of alerts on disk; src/monitoring/monitoring.ts turns decisions into alert transitions.
 *
 * A rule raises once its condition has held without a break for `durationMs` (checked on every reading of
 * its sensor and on `tick`, so a duration elapses even between readings). While raised it stays raised until
 * the value has gone back past the threshold by `hysteresis`: for `>`/`>=` below threshold − hysteresis,
 * for `<`/`<=` above threshold + hysteresis, for `==` further than hysteresis from it, for `!=` within it.
 */
import type { Reading } from '../domain/events.js';
import type { Comparison, EffectiveRule } from './config.js';

const EPSILON = 1e-9;

/** Does `value` meet the rule's condition? */
export function holds(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return Math.abs(value - threshold) <= EPSILON;
    case '!=': return Math.abs(value - threshold) > EPSILON;
  }
}

/** Is a raised rule still raised? The condition widened by the hysteresis. */
export function stillHolds(value: number, comparison: Comparison, threshold: number, hysteresis: number): boolean {
  switch (comparison) {
    case '>': return value > threshold - hysteresis;
    case '>=': return value >= threshold - hysteresis;
    case '<': return value < threshold + hysteresis;
    case '<=': return value <= threshold + hysteresis;
    case '==': return Math.abs(value - threshold) <= hysteresis + EPSILON;
    case '!=': return Math.abs(value - threshold) > hysteresis + EPSILON;
  }
}

export type Decision = { kind: 'raise'; rule: EffectiveRule; value: number; at: number } | { kind: 'clear'; rule: EffectiveRule; value: number; at: number };

interface RuleState {
  active: boolean;
  /** When the condition started holding without a break (null: it does not hold). */
  since: number | null;
  last: number | null;
}

export class RuleEngine {
  private rules = new Map<string, EffectiveRule>();
  private bySensor = new Map<string, EffectiveRule[]>();
  private readonly states = new Map<string, RuleState>();

  constructor(rules: readonly EffectiveRule[]) {
    this.setRules(rules);
  }

  /** Replace the rules (a server threshold arrived); each rule keeps its state, and is judged again at its next reading. */
  setRules(rules: readonly EffectiveRule[]): void {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.bySensor = new Map();
    for (const r of rules) this.bySensor.set(r.sensor, [...(this.bySensor.get(r.sensor) ?? []), r]);
    for (const id of [...this.states.keys()]) if (!this.rules.has(id)) this.states.delete(id);
  }

  list(): EffectiveRule[] {
    return [...this.rules.values()];
  }

  get(id: string): EffectiveRule | undefined {
    return this.rules.get(id);
  }

  isActive(id: string): boolean {
    return this.state(id).active;
  }

  /**
   * Set from outside: an alert open at start-up (active), or one a technician resolved (inactive). A rule made
   * inactive while its condition still holds counts its duration again from `now`: a fault that is really still
   * there comes back once it has held that long.
   */
  setActive(id: string, active: boolean, now: number): void {
    const state = this.state(id);
    state.active = active;
    const rule = this.rules.get(id);
    state.since = !active && rule && state.last !== null && holds(state.last, rule.comparison, rule.threshold) ? now : null;
  }

  observe(reading: Reading): Decision[] {
    const decisions: Decision[] = [];
    for (const rule of this.bySensor.get(reading.sensor) ?? []) {
      const state = this.state(rule.id);
      state.last = reading.value;
      if (state.active) {
        if (!stillHolds(reading.value, rule.comparison, rule.threshold, rule.hysteresis)) {
          state.active = false;
          state.since = null;
          decisions.push({ kind: 'clear', rule, value: reading.value, at: reading.at });
        }
        continue;
      }
      if (!holds(reading.value, rule.comparison, rule.threshold)) {
        state.since = null;
        continue;
      }
      state.since ??= reading.at;
      if (reading.at - state.since >= rule.durationMs) {
        state.active = true;
        decisions.push({ kind: 'raise', rule, value: reading.value, at: reading.at });
      }
    }
    return decisions;
  }

  /** Raise the rules whose condition has now held long enough since their last reading. */
  tick(now: number): Decision[] {
    const decisions: Decision[] = [];
    for (const rule of this.rules.values()) {
      const state = this.state(rule.id);
      if (state.active || state.since === null || state.last === null) continue;
      if (now - state.since >= rule.durationMs) {
        state.active = true;
        decisions.push({ kind: 'raise', rule, value: state.last, at: now });
      }
    }
    return decisions;
  }

  private state(id: string): RuleState {
    let state = this.states.get(id);
    if (!state) {
      state = { active: false, since: null, last: null };
      this.states.set(id, state);
    }
    return state;
  }
}

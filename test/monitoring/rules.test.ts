/** The rule engine: each comparison, hysteresis, the duration a condition must hold, and re-arming. */
import { describe, expect, it } from 'vitest';
import type { Comparison, EffectiveRule } from '../../src/monitoring/config.js';
import { holds, RuleEngine, stillHolds, type Decision } from '../../src/monitoring/rules.js';

function rule(comparison: Comparison, threshold: number, extra: Partial<EffectiveRule> = {}): EffectiveRule {
  return {
    id: 'r', sensor: 's', comparison, threshold, thresholdSource: 'default', durationMs: 0, hysteresis: 0, severity: 'warning', effect: { kind: 'none' }, ...extra,
  };
}

const kinds = (decisions: Decision[]) => decisions.map((d) => `${d.kind} ${d.value}`);

describe('comparisons', () => {
  it.each([
    ['>', 10, [9, 10, 11], [false, false, true]],
    ['>=', 10, [9, 10, 11], [false, true, true]],
    ['<', 10, [9, 10, 11], [true, false, false]],
    ['<=', 10, [9, 10, 11], [true, true, false]],
    ['==', 1, [0, 1, 2], [false, true, false]],
    ['!=', 1, [0, 1, 2], [true, false, true]],
  ] as Array<[Comparison, number, number[], boolean[]]>)('%s %d', (comparison, threshold, values, expected) => {
    expect(values.map((v) => holds(v, comparison, threshold))).toEqual(expected);
  });

  it.each([
    // comparison, threshold, hysteresis: values that keep a raised rule raised, and the first that clears it
    ['>', 50, 5, [46, 50], 45],
    ['>=', 50, 5, [45, 49], 44.9],
    ['<', 10, 2, [11.9, 10], 12],
    ['<=', 10, 2, [12, 11], 12.1],
    ['==', 1, 0, [1], 0],
    ['==', 20, 3, [17, 23], 23.5],
    ['!=', 0, 0, [1, -1], 0],
    ['!=', 20, 3, [24, 16], 18],
  ] as Array<[Comparison, number, number, number[], number]>)('%s %d with hysteresis %d', (comparison, threshold, hysteresis, stays, clears) => {
    for (const v of stays) expect(stillHolds(v, comparison, threshold, hysteresis)).toBe(true);
    expect(stillHolds(clears, comparison, threshold, hysteresis)).toBe(false);
  });
});

describe('RuleEngine', () => {
  it('raises at once without a duration and clears only past the hysteresis', () => {
    const engine = new RuleEngine([rule('>=', 90, { hysteresis: 5 })]);
    const seen = [80, 90, 95, 87, 85.5, 84.9, 91].flatMap((value, i) => kinds(engine.observe({ sensor: 's', value, at: i })));
    expect(seen).toEqual(['raise 90', 'clear 84.9', 'raise 91']);
  });

  it('raises only once the condition has held for the duration without a break', () => {
    const engine = new RuleEngine([rule('>', 50, { durationMs: 1_000 })]);
    const at = (value: number, t: number) => kinds(engine.observe({ sensor: 's', value, at: t }));
    expect(at(60, 0)).toEqual([]);
    expect(at(60, 999)).toEqual([]);
    expect(at(40, 1_000)).toEqual([]); // the break starts the count again
    expect(at(60, 1_500)).toEqual([]);
    expect(at(70, 2_499)).toEqual([]);
    expect(at(70, 2_500)).toEqual(['raise 70']);
    expect(at(80, 3_000)).toEqual([]); // raised once, not on every reading
  });

  it('raises on a tick when the duration runs out between readings', () => {
    const engine = new RuleEngine([rule('==', 1, { durationMs: 300_000 })]);
    engine.observe({ sensor: 's', value: 1, at: 0 });
    expect(engine.tick(299_999)).toEqual([]);
    expect(kinds(engine.tick(300_000))).toEqual(['raise 1']);
    expect(engine.tick(400_000)).toEqual([]);
  });

  it('ignores other sensors and keeps each rule apart', () => {
    const engine = new RuleEngine([rule('>', 1, { id: 'a', sensor: 'x' }), rule('<', 1, { id: 'b', sensor: 'x' }), rule('>', 0, { id: 'c', sensor: 'y' })]);
    const decisions = engine.observe({ sensor: 'x', value: 5, at: 0 });
    expect(decisions.map((d) => `${d.kind} ${d.rule.id}`)).toEqual(['raise a']);
  });

  it('after a technician resolve, a condition that still holds comes back once it has held its duration again', () => {
    const engine = new RuleEngine([rule('>', 50, { durationMs: 1_000 })]);
    engine.observe({ sensor: 's', value: 60, at: 0 });
    expect(kinds(engine.tick(1_000))).toEqual(['raise 60']);
    engine.setActive('r', false, 5_000);
    expect(engine.tick(5_999)).toEqual([]);
    expect(kinds(engine.tick(6_000))).toEqual(['raise 60']);
  });

  it('a rule set active at start (an alert still open) clears on its first reading past the hysteresis', () => {
    const engine = new RuleEngine([rule('>=', 90, { hysteresis: 5 })]);
    engine.setActive('r', true, 0);
    expect(engine.observe({ sensor: 's', value: 88, at: 1 })).toEqual([]);
    expect(kinds(engine.observe({ sensor: 's', value: 10, at: 2 }))).toEqual(['clear 10']);
  });

  it('takes new thresholds and keeps state', () => {
    const engine = new RuleEngine([rule('>=', 90)]);
    expect(kinds(engine.observe({ sensor: 's', value: 85, at: 0 }))).toEqual([]);
    engine.setRules([rule('>=', 80, { thresholdSource: 'server' })]);
    const [raised] = engine.observe({ sensor: 's', value: 85, at: 1 });
    expect(raised).toMatchObject({ kind: 'raise', rule: { threshold: 80, thresholdSource: 'server' } });
  });
});

/** Rules as configuration: defaults, overrides, own rules, threshold sources, and refusal of bad ones at start. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/load-config.js';
import { DEFAULT_RULES, monitoringConfig, resolveRules } from '../../src/monitoring/config.js';

const context = { binFullPercent: 90, binFullConfigured: false };
const byId = (rules: ReturnType<typeof resolveRules>) => new Map(rules.map((r) => [r.id, r]));

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('monitoring rules from the configuration', () => {
  it('has the default rules, each usable as is', () => {
    const rules = byId(resolveRules(monitoringConfig.parse({}).rules, context));
    expect([...rules.keys()].sort()).toEqual(Object.keys(DEFAULT_RULES).sort());
    expect(rules.get('bin_full.glass')).toMatchObject({ sensor: 'bin.glass', comparison: '>=', threshold: 90, thresholdSource: 'default', effect: { kind: 'stop_material', material: 'glass' } });
    expect(rules.get('controller_link_lost')).toMatchObject({ effect: { kind: 'stop_sessions' }, severity: 'critical' });
  });

  it('lays entries over the defaults, turns rules off, and takes rules of its own', () => {
    const settings = monitoringConfig.parse({
      rules: {
        temperature_high: { threshold: 60 },
        door_open_too_long: { enabled: false },
        weight_stuck: { sensor: 'machine.weight', comparison: '>', threshold: 2_000, durationMs: 60_000, effect: 'stop_sessions', severity: 'critical' },
      },
    });
    const rules = byId(resolveRules(settings.rules, context));
    expect(rules.get('temperature_high')).toMatchObject({ threshold: 60, thresholdSource: 'config', durationMs: 60_000, hysteresis: 3 });
    expect(rules.has('door_open_too_long')).toBe(false);
    expect(rules.get('weight_stuck')).toMatchObject({ sensor: 'machine.weight', thresholdSource: 'config', effect: { kind: 'stop_sessions' } });
  });

  it('takes the bin threshold from the server first, then the rule, then hardware.binFullPercent', () => {
    const rule = (entries: object, ctx: Parameters<typeof resolveRules>[1]) => byId(resolveRules(monitoringConfig.parse({ rules: entries }).rules, ctx)).get('bin_full.can');
    expect(rule({}, { binFullPercent: 80, binFullConfigured: true })).toMatchObject({ threshold: 80, thresholdSource: 'config' });
    expect(rule({ 'bin_full.can': { threshold: 70 } }, { binFullPercent: 80, binFullConfigured: true })).toMatchObject({ threshold: 70, thresholdSource: 'config' });
    expect(rule({ 'bin_full.can': { threshold: 70 } }, { ...context, server: { bin_full: 85 } })).toMatchObject({ threshold: 85, thresholdSource: 'server' });
    expect(byId(resolveRules({}, { ...context, server: { bin_full: 85 } })).get('temperature_high')).toMatchObject({ thresholdSource: 'default' });
  });

  it.each([
    [{ 'bin_full.glass': { threshold: 150 } }, 'rules.bin_full.glass.threshold: 150 is outside 0–100 for bin.glass (%)'],
    [{ door_open_too_long: { threshold: 2 } }, 'rules.door_open_too_long.threshold'],
    [{ disk_low: { threshold: -5 } }, 'rules.disk_low.threshold'],
    [{ mine: { sensor: 'machine.temprature', comparison: '>', threshold: 1 } }, 'rules.mine.sensor: unknown sensor "machine.temprature"'],
    [{ mine: { sensor: 'machine.weight' } }, 'rules.mine.comparison: required'],
    [{ mine: { sensor: 'machine.weight', comparison: '>', threshold: 1, effect: 'stop_material' } }, 'rules.mine.material'],
    [{ temperature_high: { comparison: '=>' } }, 'rules.temperature_high.comparison'],
  ])('refuses %j naming the key', (rules, message) => {
    const parsed = monitoringConfig.safeParse({ rules });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toContain(message);
  });

  it('refuses a bad threshold at start with the full key, from a file or the environment', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-monitoring-'));
    writeFileSync(path.join(dir, 'rvm-kiosk.json'), JSON.stringify({ monitoring: { rules: { temperature_high: { threshold: 900 } } } }));
    expect(() => loadConfig({ argv: [], env: {}, cwd: dir! })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: [], env: {}, cwd: dir! })).toThrow(/monitoring\.rules\.temperature_high\.threshold: 900 is outside/);
    writeFileSync(path.join(dir, 'rvm-kiosk.json'), '{}');
    expect(() => loadConfig({ argv: [], env: { 'RVM__monitoring__rules__bin_full.glass__threshold': '101' }, cwd: dir! })).toThrow(/monitoring\.rules\.bin_full\.glass\.threshold/);
    expect(loadConfig({ argv: [], env: { 'RVM__monitoring__rules__bin_full.glass__threshold': '80' }, cwd: dir! }).config.monitoring.rules['bin_full.glass']).toEqual({ threshold: 80 });
  });

  it('keeps the history tiers in order', () => {
    const parsed = monitoringConfig.safeParse({ history: { rawMs: 3 * 86_400_000, fiveMinuteMs: 86_400_000 } });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['history', 'fiveMinuteMs'] });
  });
});

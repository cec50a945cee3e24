/**
 * Monitoring settings (the `monitoring` section of the configuration): how often sensors are read, how the
 * history ages, and the rules. Rules are data: `monitoring.rules` maps a rule id to the fields it changes, so
 * a configuration names only what differs from the defaults below (`{"temperature_high": {"threshold": 60}}`),
 * turns a default off (`{"door_open_too_long": {"enabled": false}}`) or adds a rule of its own (sensor,
 * comparison and threshold required). Every rule is checked at start: a threshold outside its sensor's range,
 * an unknown sensor or a missing field refuses the configuration with the key named
 * (`monitoring.rules.bin_full.glass.threshold: …`).
 */
import { z } from 'zod';
import type { Alert } from '../domain/events.js';
import { channelsConfig } from './channels/config.js';
import { sensorSpec, SENSOR_IDS } from './sensors.js';

export const Comparison = z.enum(['>', '>=', '<', '<=', '==', '!=']);
export type Comparison = z.infer<typeof Comparison>;
export const Severity = z.enum(['info', 'warning', 'critical']);
export const EffectKind = z.enum(['none', 'stop_sessions', 'stop_material']);
export const StoppableMaterial = z.enum(['pet', 'can', 'glass']);

const DAY = 24 * 60 * 60 * 1000;
const RULE_ID = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;

/** One rule as the configuration states it: every field optional, so an entry can change just one. */
const ruleEntry = z
  .object({
    enabled: z.boolean().optional(),
    sensor: z.string().optional(),
    comparison: Comparison.optional(),
    /** Finite (zod refuses NaN and ±Infinity); its range is checked against the sensor below. */
    threshold: z.number().optional(),
    /** The condition must hold this long before the alert is raised. */
    durationMs: z.number().int().min(0).max(7 * DAY).optional(),
    /** How far back past the threshold the value must go before the alert clears by itself. */
    hysteresis: z.number().min(0).optional(),
    severity: Severity.optional(),
    effect: EffectKind.optional(),
    /** For `stop_material`; a bin rule knows its material. */
    material: StoppableMaterial.optional(),
  })
  .strict();
export type RuleEntry = z.infer<typeof ruleEntry>;

/** A complete rule, as the defaults and the resolved configuration hold it. */
export interface RuleSpec {
  enabled: boolean;
  sensor: string;
  comparison: Comparison;
  threshold: number;
  durationMs: number;
  hysteresis: number;
  severity: z.infer<typeof Severity>;
  effect: z.infer<typeof EffectKind>;
  material?: z.infer<typeof StoppableMaterial>;
}

const MIN = 60_000;
const bin = (sensor: string, material: RuleSpec['material']): RuleSpec => ({
  enabled: true, sensor, comparison: '>=', threshold: 90, durationMs: 0, hysteresis: 5, severity: 'warning', effect: 'stop_material', ...(material ? { material } : {}),
});
const rule = (sensor: string, comparison: Comparison, threshold: number, rest: Partial<RuleSpec> = {}): RuleSpec => ({
  enabled: true, sensor, comparison, threshold, durationMs: 0, hysteresis: 0, severity: 'warning', effect: 'none', ...rest,
});

/**
 * The default rules (docs/monitoring.md has them as a table). The bin rules' threshold is the machine's
 * `hardware.binFullPercent` unless the rule sets its own; the server's handshake threshold beats both.
 */
export const DEFAULT_RULES: Readonly<Record<string, RuleSpec>> = {
  'bin_full.plastic': bin('bin.plastic', 'pet'),
  'bin_full.can': bin('bin.can', 'can'),
  'bin_full.glass': bin('bin.glass', 'glass'),
  temperature_high: rule('machine.temperature', '>', 55, { durationMs: MIN, hysteresis: 3 }),
  door_open_too_long: rule('machine.door_open', '==', 1, { durationMs: 5 * MIN }),
  controller_link_lost: rule('machine.link_up', '==', 0, { durationMs: 10_000, severity: 'critical', effect: 'stop_sessions' }),
  camera_lost: rule('detection.camera_ok', '==', 0, { durationMs: 30_000, severity: 'critical', effect: 'stop_sessions' }),
  model_missing: rule('detection.model_loaded', '==', 0, { durationMs: MIN, severity: 'critical', effect: 'stop_sessions' }),
  outbox_backlog: rule('outbox.pending', '>=', 2_000, { hysteresis: 100 }),
  outbox_stale: rule('outbox.oldest_age_s', '>', 24 * 60 * 60, { hysteresis: 600 }),
  disk_low: rule('disk.free_mb', '<', 500, { hysteresis: 50, severity: 'critical' }),
  clock_drift: rule('clock.drift_ms', '>', 30_000, { durationMs: 5 * MIN, hysteresis: 5_000 }),
  detector_errors: rule('detection.errors_1h', '>=', 5),
  repeated_jams: rule('machine.jams_1h', '>=', 3),
};

export const BIN_RULE_PREFIX = 'bin_full';

export const historyConfig = z.object({
  /** Raw readings are kept at least this long (a day segment is averaged once its last reading is older). */
  rawMs: z.number().int().min(60 * MIN).default(DAY),
  /** Then 5-minute averages (with min and max) until this age; hourly averages after. */
  fiveMinuteMs: z.number().int().min(60 * MIN).default(7 * DAY),
  /** Nothing older than this is kept. */
  retentionMs: z.number().int().min(60 * MIN).default(30 * DAY),
  /** The history's size on disk; past it, the oldest segments are dropped first. */
  maxBytes: z.number().int().min(1024 * 1024).default(64 * 1024 * 1024),
  /** A raw segment is closed past this size (and at each UTC midnight). */
  segmentMaxBytes: z.number().int().min(64 * 1024).default(4 * 1024 * 1024),
}).strict();

export const monitoringConfig = z
  .object({
    /** Sensors are read this often; a change is written at the next read (bins at once, from their event). */
    sampleMs: z.number().int().min(100).max(MIN).default(5_000),
    /** Every sensor is written at least this often, changed or not. */
    heartbeatMs: z.number().int().min(1_000).max(60 * MIN).default(MIN),
    history: historyConfig.default(historyConfig.parse({})),
    /** Resolved alerts are kept (and listed) this long; open ones always. */
    alertRetentionMs: z.number().int().min(DAY).default(90 * DAY),
    rules: z.record(z.string().regex(RULE_ID, 'a rule id: lower-case words, digits, `_` and `.`'), ruleEntry).default({}),
    /** Where alerts and readings also go (MQTT, webhook): src/monitoring/channels/config.ts. */
    ...channelsConfig.shape,
  })
  .strict()
  .superRefine((value, ctx) => {
    const h = value.history;
    if (h.fiveMinuteMs < h.rawMs) ctx.addIssue({ code: 'custom', path: ['history', 'fiveMinuteMs'], message: 'must be at least history.rawMs' });
    if (h.retentionMs < h.fiveMinuteMs) ctx.addIssue({ code: 'custom', path: ['history', 'retentionMs'], message: 'must be at least history.fiveMinuteMs' });
    for (const problem of ruleProblems(value.rules)) ctx.addIssue({ code: 'custom', path: ['rules', ...problem.path], message: problem.message });
  });

export type MonitoringConfig = z.infer<typeof monitoringConfig>;

/** The defaults with the configuration's entries laid over them; `configured` says which thresholds were set. */
export function mergeRules(entries: Readonly<Record<string, RuleEntry>>): Array<{ id: string; spec: Partial<RuleSpec>; configuredThreshold: boolean }> {
  const ids = new Set([...Object.keys(DEFAULT_RULES), ...Object.keys(entries)]);
  return [...ids].map((id) => {
    const entry = entries[id] ?? {};
    const spec = { ...DEFAULT_RULES[id], ...stripUndefined(entry) } as Partial<RuleSpec>;
    return { id, spec, configuredThreshold: entry.threshold !== undefined };
  });
}

function ruleProblems(entries: Readonly<Record<string, RuleEntry>>): Array<{ path: string[]; message: string }> {
  const problems: Array<{ path: string[]; message: string }> = [];
  for (const { id, spec } of mergeRules(entries)) {
    if (spec.enabled === false) continue;
    const isNew = DEFAULT_RULES[id] === undefined;
    for (const field of ['sensor', 'comparison', 'threshold'] as const) {
      if (isNew && spec[field] === undefined) problems.push({ path: [id, field], message: `required for a rule of your own (${id} is not a default rule)` });
    }
    if (spec.sensor === undefined) continue;
    const sensor = sensorSpec(spec.sensor);
    if (!sensor) {
      problems.push({ path: [id, 'sensor'], message: `unknown sensor "${spec.sensor}"; known: ${SENSOR_IDS.join(', ')}` });
      continue;
    }
    const t = spec.threshold;
    if (t !== undefined && (t < sensor.min || t > sensor.max)) {
      problems.push({ path: [id, 'threshold'], message: `${t} is outside ${sensor.min}–${sensor.max} for ${spec.sensor} (${sensor.unit})` });
    }
    if (t !== undefined && sensor.unit === 'flag' && t !== 0 && t !== 1) problems.push({ path: [id, 'threshold'], message: `${spec.sensor} is a flag: the threshold is 0 or 1` });
    if (spec.effect === 'stop_material' && !spec.material) problems.push({ path: [id, 'material'], message: 'stop_material needs the material it stops (pet, can or glass)' });
  }
  return problems;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A rule ready to run: complete, with its threshold's source and its effect in the alert's own form. */
export interface EffectiveRule {
  id: string;
  sensor: string;
  comparison: Comparison;
  threshold: number;
  thresholdSource: Alert['thresholdSource'];
  durationMs: number;
  hysteresis: number;
  severity: Alert['severity'];
  effect: Alert['effect'];
}

export interface RuleContext {
  /** `hardware.binFullPercent`: the bin rules' threshold unless a rule sets its own. */
  binFullPercent: number;
  /** Whether `hardware.binFullPercent` was set by the configuration (not left at its default). */
  binFullConfigured: boolean;
  /** Thresholds the server sent, by rule id or id prefix (`bin_full` covers `bin_full.glass`). */
  server?: Readonly<Record<string, number>>;
}

/** The enabled rules, each with the threshold that wins: server, then configuration, then default. */
export function resolveRules(entries: Readonly<Record<string, RuleEntry>>, context: RuleContext): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  for (const { id, spec, configuredThreshold } of mergeRules(entries)) {
    if (spec.enabled === false || spec.sensor === undefined || spec.comparison === undefined || spec.threshold === undefined) continue;
    const isBin = id === BIN_RULE_PREFIX || id.startsWith(`${BIN_RULE_PREFIX}.`);
    let threshold = spec.threshold;
    let thresholdSource: Alert['thresholdSource'] = configuredThreshold ? 'config' : 'default';
    if (isBin && !configuredThreshold) {
      threshold = context.binFullPercent;
      thresholdSource = context.binFullConfigured ? 'config' : 'default';
    }
    const fromServer = serverThreshold(id, context.server);
    if (fromServer !== undefined) {
      threshold = fromServer;
      thresholdSource = 'server';
    }
    const effect: Alert['effect'] =
      spec.effect === 'stop_material' && spec.material ? { kind: 'stop_material', material: spec.material } : spec.effect === 'stop_sessions' ? { kind: 'stop_sessions' } : { kind: 'none' };
    out.push({
      id,
      sensor: spec.sensor,
      comparison: spec.comparison,
      threshold,
      thresholdSource,
      durationMs: spec.durationMs ?? 0,
      hysteresis: spec.hysteresis ?? 0,
      severity: spec.severity ?? 'warning',
      effect,
    });
  }
  return out;
}

function serverThreshold(id: string, server: Readonly<Record<string, number>> | undefined): number | undefined {
  if (!server) return undefined;
  if (server[id] !== undefined) return server[id];
  const prefix = Object.keys(server).find((key) => id.startsWith(`${key}.`));
  return prefix === undefined ? undefined : server[prefix];
}

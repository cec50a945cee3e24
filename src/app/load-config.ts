/**
 * Configuration = defaults ← file ← environment. The file is JSON (path from --config, RVM_CONFIG, or
 * ./rvm-kiosk.json when present). Any field can be set from the environment as RVM__section__field=value
 * (value parsed as JSON when it parses, else taken as a string), e.g. RVM__server__mode=remote.
 *
 * Strict: every object in the schema rejects keys it does not know, so a misspelt key stops start-up naming
 * the key, where it came from (the file or the RVM__ variable) and the nearest real key ("did you mean …").
 * A real-mode part missing the one setting it cannot run without (a serial port) stops start-up too, with
 * the fix, instead of retrying forever. `sources` records where every setting came from for the start line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { isPlainObject, suggestKeys } from './config-key-hints.js';
import { kioskConfig, type KioskConfig } from './config-schema.js';
import { operatorSettingsPath, readOperatorSettings, type OperatorSettingsStore } from './first-run/operator-settings.js';

export class ConfigError extends Error {}

export interface ConfigSource {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The configuration file chosen by the caller (the CLI's --config); wins over argv and RVM_CONFIG. */
  file?: string | undefined;
  /** Where durable state goes when the configuration does not say (Electron passes its userData folder). */
  defaultDataDir?: string;
  /** Where the installer's settings are kept (Electron: electron-store on the same file); absent: the JSON file. */
  settingsStore?: OperatorSettingsStore;
}

/** Where each setting came from: the defaults, the file, or one RVM__ variable. */
export interface ConfigSources {
  file: string | null;
  /** The installer's on-screen choices (`<dataDir>/operator-settings.json`), when it set anything. */
  operatorSettings?: string;
  /** The RVM__ variables applied, sorted. */
  env: string[];
  /** Dotted path → origin for every value the file or the environment set (leaves and whole objects). */
  origins: ReadonlyMap<string, string>;
}

export interface LoadedConfig {
  config: KioskConfig;
  file: string | null;
  sources: ConfigSources;
}

export function configFilePath({ argv = process.argv, env = process.env, cwd = process.cwd(), file }: ConfigSource = {}): string | null {
  if (file) return path.resolve(cwd, file);
  const flag = argv.indexOf('--config');
  if (flag >= 0 && argv[flag + 1]) return path.resolve(cwd, argv[flag + 1]!);
  const inline = argv.find((arg) => arg.startsWith('--config='));
  if (inline && inline.length > '--config='.length) return path.resolve(cwd, inline.slice('--config='.length));
  if (env.RVM_CONFIG) return path.resolve(cwd, env.RVM_CONFIG);
  const local = path.join(cwd, 'rvm-kiosk.json');
  return existsSync(local) ? local : null;
}

const ENV_PREFIX = 'RVM__';

export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  return envLayer(env).values;
}

function envLayer(env: NodeJS.ProcessEnv): { values: Record<string, unknown>; origins: Map<string, string> } {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const key of Object.keys(env).sort()) {
    const raw = env[key];
    if (!key.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const parts = key.slice(ENV_PREFIX.length).split('__').filter(Boolean);
    if (parts.length === 0) continue;
    let node = values;
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(node[part])) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const value = parseValue(raw);
    node[parts.at(-1)!] = value;
    recordOrigins(origins, parts, value, key);
  }
  return { values, origins };
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

/** Every leaf path under `prefix` that `value` sets (an empty object counts as a leaf). */
function recordOrigins(into: Map<string, string>, prefix: string[], value: unknown, origin: string): void {
  if (isPlainObject(value) && Object.keys(value).length) {
    for (const [key, child] of Object.entries(value)) recordOrigins(into, [...prefix, key], child, origin);
  } else if (prefix.length) {
    into.set(prefix.join('.'), origin);
  }
}

/** <dataDir>/operator-settings.json, with the data folder the file and environment name (or the host's default). */
function operatorLayer(fromFile: Record<string, unknown>, fromEnv: Record<string, unknown>, source: ConfigSource): { values: Record<string, unknown>; file: string } | null {
  const dir = fromEnv.dataDir ?? fromFile.dataDir ?? source.defaultDataDir ?? kioskConfig.parse({}).dataDir;
  if (typeof dir !== 'string') return null;
  const dataDir = path.resolve(source.cwd ?? process.cwd(), dir);
  try {
    const values = readOperatorSettings(dataDir, source.settingsStore);
    return Object.keys(values).length ? { values, file: operatorSettingsPath(dataDir) } : null;
  } catch (err) {
    // A dataDir that is a file (or under one) fails here first: name the setting, not only the file it could not open.
    const from = fromEnv.dataDir !== undefined ? 'RVM__dataDir' : fromFile.dataDir !== undefined ? 'the configuration file' : 'the default';
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ConfigError(`cannot start: dataDir "${dataDir}" (from ${from}) is not a folder`);
    throw new ConfigError(`cannot start: ${(err as Error).message} (fix or delete it; first-run setup writes it; dataDir "${dataDir}" from ${from})`);
  }
}

export function loadConfig(source: ConfigSource = {}): LoadedConfig {
  const env = source.env ?? process.env;
  const file = configFilePath({ ...source, env });
  let fromFile: Record<string, unknown> = {};
  if (file) {
    let parsedFile: unknown;
    try {
      parsedFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read configuration ${file}: ${(err as Error).message}`);
    }
    if (!isPlainObject(parsedFile)) throw new ConfigError(`configuration ${file} must be a JSON object ({} is demo mode)`);
    fromFile = parsedFile;
  }
  const origins = new Map<string, string>();
  recordOrigins(origins, [], fromFile, file ?? 'file');
  const fromEnv = envLayer(env);
  // The installer's on-screen choices (first-run setup) sit between the file and the environment.
  const operator = operatorLayer(fromFile, fromEnv.values, source);
  if (operator) {
    recordOrigins(origins, [], operator.values, operator.file);
    fromFile = deepMerge(fromFile, operator.values);
  }
  // An environment value replaces whatever the file had at and below its path.
  for (const key of fromEnv.origins.keys()) for (const known of [...origins.keys()]) if (known === key || known.startsWith(`${key}.`)) origins.delete(known);
  for (const [key, origin] of fromEnv.origins) origins.set(key, origin);
  const sources: ConfigSources = { file, ...(operator ? { operatorSettings: operator.file } : {}), env: [...new Set(fromEnv.origins.values())].sort(), origins };

  const merged = deepMerge(fromFile, fromEnv.values);
  if (merged.dataDir === undefined && source.defaultDataDir) {
    merged.dataDir = source.defaultDataDir;
    origins.set('dataDir', 'host default');
  }
  const parsed = kioskConfig.safeParse(merged);
  if (!parsed.success) {
    const { text, inFile } = describeIssues(parsed.error, merged, sources);
    throw new ConfigError(`invalid configuration${inFile && file ? ` in ${file}` : ''}: ${text}`);
  }
  const config = parsed.data;
  config.dataDir = path.resolve(source.cwd ?? process.cwd(), config.dataDir);
  const missing = missingRequiredSettings(config, sources);
  if (missing.length) throw new ConfigError(`cannot start: ${missing.join('; ')}`);
  return { config, file, sources };
}

/** Where one setting came from: the nearest path (itself or a parent) set by the file or environment, else defaults. */
export function originOf(sources: ConfigSources, dotted: string): string {
  for (let parts = dotted.split('.'); parts.length; parts = parts.slice(0, -1)) {
    const origin = sources.origins.get(parts.join('.'));
    if (origin) return origin;
  }
  return 'defaults';
}

/** Where a key that is not in the schema came from: itself, a parent, or the first value set beneath it. */
function originOfUnknown(sources: ConfigSources, dotted: string): string {
  const direct = originOf(sources, dotted);
  if (direct !== 'defaults') return direct;
  for (const [key, origin] of sources.origins) if (key.startsWith(`${dotted}.`)) return origin;
  return 'defaults';
}

// --- real-mode parts that cannot run without a setting ------------------------------------------------------

/** Settings a real part needs and has no default for; each entry names the fix. */
export function missingRequiredSettings(config: KioskConfig, sources: ConfigSources): string[] {
  const out: string[] = [];
  const { mode, serial } = config.hardware;
  if (mode === 'serial' && !serial.path && !serial.byId && !serial.usb) {
    out.push(
      `hardware.mode is "serial" (from ${originOf(sources, 'hardware.mode')}) but no serial port is set — set hardware.serial.byId to the adapter's name in /dev/serial/by-id (ls /dev/serial/by-id), or hardware.serial.path (e.g. /dev/rvm-controller from deploy/99-rvm-controller.rules), or hardware.serial.usb {"vendorId","productId"}`,
    );
  }
  return out;
}

// --- the start line ---------------------------------------------------------------------------------------

export interface PartModes {
  hardware: string;
  server: string;
  detection: string;
  /** All three simulated / demo. */
  demo: boolean;
}

/** The effective mode of each part, in words, with where the deciding setting came from. */
export function describeModes(config: KioskConfig, sources: ConfigSources): PartModes {
  const from = (key: string) => `[${originOf(sources, key)}]`;
  const hw = config.hardware;
  const port = hw.serial.path ?? (hw.serial.byId ? `/dev/serial/by-id/${hw.serial.byId}` : hw.serial.usb ? `USB ${hw.serial.usb.vendorId}:${hw.serial.usb.productId}` : '(no port)');
  const hardware = hw.mode === 'simulator' ? `simulator ${from('hardware.mode')}` : `serial ${port} ${from('hardware.mode')}`;
  const server = config.server.mode === 'simulator' ? `simulator ${from('server.mode')}` : `remote ${config.server.url || '(no URL)'} ${from('server.mode')}`;
  const det = config.detection;
  const camera = det.camera.kind === 'v4l2' ? `camera ${det.camera.device}` : `photos ${det.camera.dir ?? '(shipped)'}`;
  const detection =
    det.mode === 'off'
      ? `OFF (no camera, no model: items classified by weight; fleet/bench runs only) ${from('detection.mode')}`
      : det.mode === 'demo' ? `demo ${from('detection.mode')}` : `real model ${det.manifest ?? '(shipped)'}, ${camera} ${from('detection.mode')}`;
  return { hardware, server, detection, demo: hw.mode === 'simulator' && config.server.mode === 'simulator' && det.mode === 'demo' };
}

/** One line for the console and the log: "demo mode — hardware simulator [defaults], …; settings: defaults ← file ← installer settings ← env". */
export function describeStartLine(config: KioskConfig, sources: ConfigSources): string {
  const modes = describeModes(config, sources);
  const real = [config.hardware.mode === 'serial', config.server.mode === 'remote', config.detection.mode === 'model'].filter(Boolean).length;
  const kind = modes.demo ? 'demo mode' : real === 3 ? 'real machine' : 'partly simulated';
  return `${kind} — hardware ${modes.hardware}, server ${modes.server}, detection ${modes.detection}; settings: ${describeSources(sources)}`;
}

export function describeSources(sources: ConfigSources): string {
  const layers = ['defaults'];
  if (sources.file) layers.push(sources.file);
  if (sources.operatorSettings) layers.push(sources.operatorSettings);
  if (sources.env.length) layers.push(`environment (${sources.env.join(', ')})`);
  return layers.join(' ← ');
}

// --- readable errors with "did you mean" ------------------------------------------------------------------

type Issue = z.core.$ZodIssue;

/** The issues in words; values from the environment name their variable, the file is named once in front. */
function describeIssues(error: z.ZodError, input: Record<string, unknown>, sources: ConfigSources): { text: string; inFile: boolean } {
  const lines: string[] = [];
  let inFile = false;
  for (const issue of error.issues) {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path.map(String), key]) : [issue.path.map(String)];
    for (const at of paths) {
      const origin = issue.code === 'unrecognized_keys' ? originOfUnknown(sources, at.join('.')) : originOf(sources, at.join('.'));
      if (origin === sources.file) inFile = true;
      lines.push(issue.code === 'unrecognized_keys' ? unknownKey(at, input, origin) : invalidValue(issue, origin));
    }
  }
  const shown = lines.slice(0, 6);
  if (lines.length > shown.length) shown.push(`… and ${lines.length - shown.length} more`);
  return { text: shown.join('; '), inFile };
}

const fromWhere = (origin: string) => (origin.startsWith(ENV_PREFIX) || origin === 'host default' ? ` (from ${origin})` : '');

function invalidValue(issue: Issue, origin: string): string {
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}${fromWhere(origin)}`;
}

function unknownKey(fullPath: string[], input: Record<string, unknown>, origin: string): string {
  const dotted = fullPath.join('.');
  const fromEnv = origin.startsWith(ENV_PREFIX);
  const hints = suggestKeys(fullPath, input);
  const where = fromWhere(origin);
  // For a variable, the hint is the variable to set instead: RVM__hardwre__mode → RVM__hardware__mode.
  const rest = fromEnv ? origin.slice(ENV_PREFIX.length).split('__').filter(Boolean).slice(fullPath.length) : [];
  const envName = (dotted: string) => `${ENV_PREFIX}${[...dotted.split('.'), ...rest].join('__')}`;
  const hint = hints.length ? ` — did you mean ${hints.map((h) => `"${h}"${fromEnv ? ` (${envName(h)})` : ''}`).join(' or ')}?` : '';
  return `unknown key "${dotted}"${where}${hint}`;
}

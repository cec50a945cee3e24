/**
 * Configuration = defaults ← file ← environment. The file is JSON (path from --config, RVM_CONFIG, or
 * ./rvm-kiosk.json when present). Any field can be set from the environment as RVM__section__field=value
 * (value parsed as JSON when it parses, else taken as a string), e.g. RVM__server__mode=remote.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kioskConfig, type KioskConfig } from './config-schema.js';
import { describeZodError } from '../core/describe-error.js';

export class ConfigError extends Error {}

export interface ConfigSource {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where durable state goes when the configuration does not say (Electron passes its userData folder). */
  defaultDataDir?: string;
}

export function configFilePath({ argv = process.argv, env = process.env, cwd = process.cwd() }: ConfigSource = {}): string | null {
  const flag = argv.indexOf('--config');
  if (flag >= 0 && argv[flag + 1]) return path.resolve(cwd, argv[flag + 1]!);
  if (env.RVM_CONFIG) return path.resolve(cwd, env.RVM_CONFIG);
  const local = path.join(cwd, 'rvm-kiosk.json');
  return existsSync(local) ? local : null;
}

export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith('RVM__') || raw === undefined) continue;
    const parts = key.slice(5).split('__').filter(Boolean);
    if (parts.length === 0) continue;
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts.at(-1)!] = parseValue(raw);
  }
  return out;
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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function loadConfig(source: ConfigSource = {}): { config: KioskConfig; file: string | null } {
  const file = configFilePath(source);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`cannot read configuration ${file}: ${(err as Error).message}`);
    }
  }
  const merged = deepMerge(fromFile, envOverrides(source.env ?? process.env));
  if (merged.dataDir === undefined && source.defaultDataDir) merged.dataDir = source.defaultDataDir;
  const parsed = kioskConfig.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}: ${describeZodError(parsed.error)}`);
  const config = parsed.data;
  config.dataDir = path.resolve(source.cwd ?? process.cwd(), config.dataDir);
  return { config, file };
}

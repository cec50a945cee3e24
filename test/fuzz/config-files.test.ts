/**
 * Fuzz, configuration family: valid configuration files (demo `{}`, the documented real-machine example, every
 * default written out) damaged by a seeded mutator — deleted keys, values of another type or out of range,
 * misspelt and unknown keys, `__proto__` / `constructor.prototype` keys, huge strings, deep nesting, broken
 * JSON, a root that is no object — and the same values given as RVM__ environment variables, through the real
 * loader (src/app/load-config.ts). Each result is a valid configuration or a ConfigError that names the key
 * (or the file, when the file itself is unreadable), never another exception; nothing leaks onto
 * Object.prototype; and afterwards a machine still completes a normal item.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { ConfigError, loadConfig } from '../../src/app/load-config.js';
import { describeWithSocat } from '../helpers/pty.js';
import { FAMILY_TIMEOUT_MS, fuzzCount, fuzzSeed, MemoryWatch, quietLogs, reportFamily, retainedHeapMiB, rng, withSeed, type Rng } from './fuzz-kit.js';
import { startFuzzMachine } from './fuzz-machine.js';

const CASES = fuzzCount(400, 20_000);
const SEED = fuzzSeed(150_004);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function baseConfigs(dir: string): Array<{ name: string; config: Record<string, Json> }> {
  const defaults = JSON.parse(JSON.stringify(kioskConfig.parse({ dataDir: path.join(dir, 'data') }))) as Record<string, Json>;
  return [
    { name: 'demo', config: {} },
    {
      name: 'documented example',
      config: {
        machineName: 'RVM Pasar Baru',
        dataDir: path.join(dir, 'data'),
        hardware: { mode: 'serial', serial: { byId: 'usb-Espressif_USB_JTAG_serial_debug_unit_XX:XX-if00' } },
        detection: { mode: 'model', camera: { kind: 'v4l2', device: '/dev/video0' } },
        server: { mode: 'remote', url: 'https://myrvm.example.org', credentialsFile: path.join(dir, 'rvm-credentials.json') },
      },
    },
    { name: 'every default', config: defaults },
  ];
}

/** Every dotted path to a value in `tree` (objects included), for picking what to damage. */
function paths(tree: Json, prefix: string[] = [], out: string[][] = []): string[][] {
  if (tree && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, child] of Object.entries(tree)) {
      out.push([...prefix, key]);
      paths(child, [...prefix, key], out);
    }
  }
  return out;
}

function parentOf(tree: Record<string, Json>, at: string[]): Record<string, Json> | null {
  let node: Json = tree;
  for (const key of at.slice(0, -1)) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
    node = (node as Record<string, Json>)[key] as Json;
  }
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, Json>) : null;
}

function strangeValue(r: Rng): Json {
  return r.pick<Json>([null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e300, '', ' ', 'x'.repeat(10_000), '../../../etc/passwd', 'serial', 'remote', '0', 'true', [], [1, 'two'], {}, { mode: 'x' }, r.text(20)]);
}

function misspell(r: Rng, key: string): string {
  if (key.length < 2) return `${key}x`;
  const at = r.int(key.length);
  return r.pick([key.slice(0, at) + key.slice(at + 1), key.toUpperCase(), `${key}_`, key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2)]);
}

type Mutation = 'delete' | 'retype' | 'misspell' | 'unknown' | 'proto' | 'deep' | 'bad_json' | 'not_object' | 'env';

/** Applies 1–3 mutations; returns the file text, the env, and the paths touched (the error must name one). */
function mutate(r: Rng, base: Record<string, Json>): { text: string; env: Record<string, string>; touched: string[]; kinds: Mutation[] } {
  const tree = structuredClone(base);
  const env: Record<string, string> = {};
  const touched: string[] = [];
  const kinds: Mutation[] = [];
  let rawProto = '';
  for (let n = 1 + r.int(3); n > 0; n--) {
    const all = paths(tree);
    const at = all.length ? r.pick(all) : [r.pick(['hardware', 'server', 'machineName'])];
    const parent = parentOf(tree, at) ?? tree;
    const key = at.at(-1)!;
    const kind: Mutation = r.pick(['delete', 'retype', 'retype', 'misspell', 'unknown', 'proto', 'deep', 'env', 'env', 'bad_json', 'not_object']);
    kinds.push(kind);
    touched.push(at.join('.'));
    switch (kind) {
      case 'delete': delete parent[key]; break;
      case 'retype': parent[key] = strangeValue(r); break;
      case 'misspell': parent[misspell(r, key)] = parent[key] ?? null; delete parent[key]; touched.push(at.slice(0, -1).concat(misspell(r, key)).join('.')); break;
      case 'unknown': parent[r.text(10, 'abcdefghijklmnopqrstuvwxyz')] = strangeValue(r); break;
      case 'deep': {
        let deep: Json = 'bottom';
        for (let d = 0; d < 200; d++) deep = { [r.pick(['a', '__proto__', 'constructor'])]: deep };
        parent[key] = deep;
        break;
      }
      case 'proto':
        rawProto = r.pick(['"__proto__":{"dataDir":"/tmp/polluted","polluted":"yes"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"prototype":{"polluted":"yes"}']);
        touched.push(rawProto.slice(1, rawProto.indexOf('"', 1)));
        break;
      case 'env': {
        const name = `RVM__${at.join('__')}`;
        env[r.chance(0.2) ? name.toLowerCase() : name] = r.pick([JSON.stringify(strangeValue(r)), r.text(12), '{"__proto__":{"polluted":"yes"}}', '']);
        touched.push(name);
        break;
      }
      default: break;
    }
  }
  let text = JSON.stringify(tree);
  if (rawProto) text = text === '{}' ? `{${rawProto}}` : `{${rawProto},${text.slice(1)}`;
  if (kinds.includes('bad_json')) text = r.pick([text.slice(0, r.int(text.length)), `\ufeff${text}`, `${text},`, text.replace(/"/g, "'"), '', '\u0000\u0001\u0002']);
  else if (kinds.includes('not_object')) text = r.pick(['[]', 'null', '42', '"config"', '[{}]', 'true']);
  return { text, env, touched, kinds };
}

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();

describeWithSocat('fuzz: configuration files', () => {
  let dir: string;
  let restoreLogs: () => void = () => undefined;
  beforeAll(() => {
    restoreLogs = quietLogs();
    dir = mkdtempSync(path.join(os.tmpdir(), 'rvm-fuzz-config-'));
  });
  afterAll(() => {
    restoreLogs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a data folder that is a file is named as dataDir, with where it came from (found by this family)', () => {
    // Before: "cannot start: ENOTDIR: not a directory, open '…/operator-settings.json' (fix or delete it…)",
    // naming a file nobody can delete and not the setting to fix.
    const notAFolder = path.join(dir, 'a-file');
    writeFileSync(notAFolder, 'x');
    writeFileSync(path.join(dir, 'plain.json'), '{}');
    for (const source of [{ env: { RVM__dataDir: JSON.stringify(notAFolder) } }, { env: {}, file: path.join(dir, 'as-key.json') }]) {
      writeFileSync(path.join(dir, 'as-key.json'), JSON.stringify({ dataDir: notAFolder }));
      expect(() => loadConfig({ file: path.join(dir, 'plain.json'), cwd: dir, ...source })).toThrow(ConfigError);
      expect(() => loadConfig({ file: path.join(dir, 'plain.json'), cwd: dir, ...source })).toThrow(/dataDir/);
    }
  });

  it(`${CASES} damaged configurations: valid, or a ConfigError naming the key; then a normal item`, async () => {
    const r = rng(SEED);
    const bases = baseConfigs(dir);
    // The bases themselves load (the documented example needs its port and credentials only at run time).
    for (const base of bases) {
      writeFileSync(path.join(dir, 'base.json'), JSON.stringify(base.config));
      expect(() => loadConfig({ file: path.join(dir, 'base.json'), env: {}, cwd: dir }), base.name).not.toThrow();
    }
    const before = prototypeKeys();
    const heapBefore = retainedHeapMiB();
    const memory = new MemoryWatch();
    const counts = { valid: 0, configErrors: 0 } as Record<string, number>;
    const file = path.join(dir, 'rvm-kiosk.json');
    for (let i = 0; i < CASES; i++) {
      const base = r.pick(bases);
      const { text, env, touched, kinds } = mutate(r, base.config);
      for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
      writeFileSync(file, text);
      await withSeed('config', SEED, i, () => {
        try {
          loadConfig({ file, env, cwd: dir });
          counts.valid! += 1;
        } catch (err) {
          if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError for ${kinds.join('+')} of ${base.name}: ${String(err)}\n${text.slice(0, 300)}`, { cause: err });
          counts.configErrors! += 1;
          // Names what to fix: one of the keys or variables touched (any part of its path), or the file itself.
          const names = [file, ...touched.flatMap((t) => [t, ...t.split(/\.|__/)])].filter((n) => n.length > 1 && n !== 'RVM');
          if (!names.some((n) => err.message.includes(n))) throw new Error(`the error names none of ${JSON.stringify(touched)} (${kinds.join('+')} of ${base.name}): ${err.message.slice(0, 400)}`);
        }
        if (Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') || ({} as Record<string, unknown>).dataDir !== undefined) throw new Error('Object.prototype polluted');
      });
    }
    expect(prototypeKeys()).toEqual(before);
    const peak = memory.stop();
    const heapAfter = retainedHeapMiB();
    expect(heapAfter - heapBefore, `retained heap grew (seed ${SEED})`).toBeLessThan(48);
    expect(counts.configErrors).toBeGreaterThan(CASES / 4);

    const machine = await startFuzzMachine();
    try {
      await machine.completeNormalItem();
    } finally {
      await machine.stop();
    }
    reportFamily('config', { seed: SEED, configs: CASES, ...counts, crashes: 0, hangs: 0, polluted: 0, retainedHeapGrowthMiB: Math.round((heapAfter - heapBefore) * 10) / 10, ...peak, normalItemAfter: 1 });
  }, FAMILY_TIMEOUT_MS);
});

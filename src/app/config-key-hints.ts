/**
 * Which keys the configuration schema has, and which real keys are close to a misspelt one — the "did you
 * mean …" of load-config.ts's errors. Walks the zod schema (through defaults, optionals and unions), never
 * the input's values, so a hint names a key that exists.
 */
import type { z } from 'zod';
import { kioskConfig } from './config-schema.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Real keys close to the unknown one: beside it first, else the same name anywhere in the schema. */
export function suggestKeys(fullPath: string[], input: unknown = {}): string[] {
  const key = fullPath.at(-1)!;
  const parent = fullPath.slice(0, -1);
  const siblings = objectKeysAt(kioskConfig, parent, input);
  const close = closest(key, siblings);
  if (close.length) return close.map((k) => [...parent, k].join('.'));
  const elsewhere = allKeyPaths(kioskConfig).filter((p) => {
    const last = p.at(-1)!;
    return last.toLowerCase() === key.toLowerCase() || closest(key, [last]).length > 0;
  });
  return elsewhere.slice(0, 3).map((p) => p.join('.'));
}

function closest(key: string, candidates: string[]): string[] {
  const lower = key.toLowerCase();
  const scored = candidates
    .map((c) => ({ c, d: c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(1, Math.floor(Math.min(c.length, key.length) / 3)));
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.c);
}

/** Damerau–Levenshtein (optimal string alignment): a swapped pair of letters is one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

// --- walking the zod schema ---------------------------------------------------------------------------------

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strip defaults, optionals and pipes down to the object or union underneath. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['default', 'prefault', 'optional', 'nullable', 'catch', 'readonly', 'nonoptional'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The object schemas a value at this schema may be (a union has several; the input picks a discriminated one). */
function objectsOf(schema: z.ZodType, input: unknown): z.ZodType[] {
  const inner = unwrapSchema(schema);
  const def = defOf(inner);
  if (def.type === 'object') return [inner];
  if (def.type === 'union' && def.options) {
    const all = def.options.flatMap((o) => objectsOf(o, input));
    if (def.discriminator && isPlainObject(input)) {
      const wanted = input[def.discriminator];
      const picked = all.filter((o) => {
        const field = defOf(o).shape?.[def.discriminator!];
        return field ? unwrapSchema(field).safeParse(wanted).success : false;
      });
      if (picked.length) return picked;
    }
    return all;
  }
  return [];
}

function objectKeysAt(root: z.ZodType, at: string[], input: unknown): string[] {
  let schemas = [root];
  let value = input;
  for (const part of at) {
    schemas = schemas.flatMap((s) => objectsOf(s, value)).flatMap((o) => {
      const child = defOf(o).shape?.[part];
      return child ? [child] : [];
    });
    value = isPlainObject(value) ? value[part] : undefined;
  }
  return [...new Set(schemas.flatMap((s) => objectsOf(s, value)).flatMap((o) => Object.keys(defOf(o).shape ?? {})))];
}

/** Every key path in the schema (objects and leaves), for "that key lives elsewhere" hints. */
export function allKeyPaths(schema: z.ZodType, prefix: string[] = [], depth = 0): string[][] {
  if (depth > 8) return [];
  const out: string[][] = [];
  for (const object of objectsOf(schema, undefined)) {
    for (const [key, child] of Object.entries(defOf(object).shape ?? {})) {
      out.push([...prefix, key]);
      out.push(...allKeyPaths(child, [...prefix, key], depth + 1));
    }
  }
  return out;
}

/** Every object schema reachable from `schema` (the strictness test walks them). */
export function objectSchemas(schema: z.ZodType, prefix: string[] = [], depth = 0): Array<{ path: string; schema: z.ZodType }> {
  if (depth > 8) return [];
  return objectsOf(schema, undefined).flatMap((object) => [
    { path: prefix.join('.') || '(root)', schema: object },
    ...Object.entries(defOf(object).shape ?? {}).flatMap(([key, child]) => objectSchemas(child, [...prefix, key], depth + 1)),
  ]);
}

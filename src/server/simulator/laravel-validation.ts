/**
 * Just enough of Laravel's validator to answer like MyRVM-Server does: the same rules the controllers
 * declare, the default English messages, and the 422 shape `{message: "<first>[ (and N more errors)]", errors}`.
 */
import { isIP } from 'node:net';
import { json, type SimReply } from './http-kit.js';

export type Rule =
  | 'required'
  | 'nullable'
  | 'string'
  | 'numeric'
  | 'integer'
  | 'array'
  | 'ip'
  | { max: number }
  | { min: number }
  | { size: number }
  | { in: readonly string[] }
  | { exists: (value: unknown) => boolean };

export type Errors = Record<string, string[]>;

function lookup(input: Record<string, unknown>, path: string): unknown {
  let node: unknown = input;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const attribute = (field: string): string => field.replace(/_/g, ' ');
const isNumeric = (v: unknown): boolean => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

export function validate(input: Record<string, unknown>, rules: Record<string, Rule[]>): Errors {
  const errors: Errors = {};
  for (const [field, list] of Object.entries(rules)) {
    const value = lookup(input, field);
    const name = attribute(field);
    const fail = (message: string) => (errors[field] ??= []).push(message);
    const missing = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (missing) {
      if (list.includes('required')) fail(`The ${name} field is required.`);
      continue;
    }
    const numeric = list.includes('numeric') || list.includes('integer');
    for (const rule of list) {
      if (rule === 'string' && typeof value !== 'string') fail(`The ${name} field must be a string.`);
      else if (rule === 'numeric' && !isNumeric(value)) fail(`The ${name} field must be a number.`);
      else if (rule === 'integer' && !(isNumeric(value) && Number.isInteger(Number(value)))) fail(`The ${name} field must be an integer.`);
      else if (rule === 'array' && (typeof value !== 'object' || value === null)) fail(`The ${name} field must be an array.`);
      else if (rule === 'ip' && !(typeof value === 'string' && isIP(value))) fail(`The ${name} field must be a valid IP address.`);
      else if (typeof rule === 'object' && 'max' in rule) {
        if (numeric ? Number(value) > rule.max : String(value).length > rule.max) {
          fail(numeric ? `The ${name} field must not be greater than ${rule.max}.` : `The ${name} field must not be greater than ${rule.max} characters.`);
        }
      } else if (typeof rule === 'object' && 'min' in rule) {
        if (numeric ? Number(value) < rule.min : String(value).length < rule.min) {
          fail(numeric ? `The ${name} field must be at least ${rule.min}.` : `The ${name} field must be at least ${rule.min} characters.`);
        }
      } else if (typeof rule === 'object' && 'size' in rule && typeof value === 'string' && value.length !== rule.size) {
        fail(`The ${name} field must be ${rule.size} characters.`);
      } else if (typeof rule === 'object' && 'in' in rule && !rule.in.includes(String(value))) fail(`The selected ${name} is invalid.`);
      else if (typeof rule === 'object' && 'exists' in rule && !rule.exists(value)) fail(`The selected ${name} is invalid.`);
    }
  }
  return errors;
}

export function validationReply(errors: Errors): SimReply {
  const all = Object.values(errors).flat();
  const more = all.length - 1;
  const suffix = more > 0 ? ` (and ${more} more ${more === 1 ? 'error' : 'errors'})` : '';
  return json(422, { message: `${all[0]}${suffix}`, errors });
}

/** Validate or produce the 422 reply; null when the input passes. */
export function check(input: Record<string, unknown>, rules: Record<string, Rule[]>): SimReply | null {
  const errors = validate(input, rules);
  return Object.keys(errors).length ? validationReply(errors) : null;
}

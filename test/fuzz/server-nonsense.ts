/**
 * Seeded nonsense for the server family: what a broken server, a captive portal or a proxy could answer. Each
 * kind is a reply handler for the fuzz front server (fuzz-machine.ts). Structure-aware kinds start from the
 * simulator's real reply for that path and damage it, so they reach the schemas instead of stopping at JSON.
 */
import type http from 'node:http';
import type { FrontHandler } from './relays.js';
import type { Rng } from './fuzz-kit.js';

/** Kinds no MyRVM reply can be: every call must come back a failure. */
export const ALWAYS_BAD = ['invalid_json', 'html', 'empty', 'huge', 'reset_before', 'reset_mid', 'redirect_away', 'redirect_home'] as const;
/** Kinds that may happen to still be a valid reply (a deleted key that was optional): any typed outcome will do. */
export const MAYBE_BAD = ['wrong_types', 'missing_fields', 'pollution', 'odd_status'] as const;
export type NonsenseKind = (typeof ALWAYS_BAD)[number] | (typeof MAYBE_BAD)[number];

const CAPTIVE_PORTAL = '<!doctype html><html><head><title>Hotspot login</title></head><body><form action="/login" method="post"><button>Accept</button></form></body></html>';
export const HUGE_BYTES = 10 * 1024 * 1024;

export function pickKind(r: Rng, index: number): NonsenseKind {
  // 10 MB bodies on a fixed schedule (a handful in every run), the rest drawn evenly.
  if (index % 40 === 7) return 'huge';
  const kinds = [...ALWAYS_BAD.filter((k) => k !== 'huge'), ...MAYBE_BAD] as NonsenseKind[];
  return r.pick(kinds);
}

/** A value of another type than `value`, or something strange of the same type. */
function otherValue(r: Rng, value: unknown): unknown {
  const choices: unknown[] = [null, true, 0, -1, 1e308, '', 'x'.repeat(r.int(300)), [], {}, [1, 'a', null], { nested: { deeper: [] } }, '2026-13-45T99:99:99Z', 'NaN'];
  if (typeof value === 'string') choices.push(Number(value.length), value.slice(0, r.int(value.length + 1)) + '\u0000');
  if (typeof value === 'number') choices.push(String(value), -value, value + 0.5);
  return r.pick(choices);
}

/** Every object and array inside `root` with its keys, for picking a place to damage. */
function containers(root: unknown, out: Array<Record<string, unknown> | unknown[]> = []): Array<Record<string, unknown> | unknown[]> {
  if (root && typeof root === 'object') {
    out.push(root as Record<string, unknown>);
    for (const child of Object.values(root)) containers(child, out);
  }
  return out;
}

function damage(r: Rng, base: unknown, kind: 'wrong_types' | 'missing_fields' | 'pollution'): string {
  const copy: unknown = structuredClone(base ?? {});
  const places = containers(copy);
  for (let n = 1 + r.int(3); n > 0 && places.length; n--) {
    const place = r.pick(places);
    const keys = Object.keys(place);
    if (kind === 'pollution') {
      // JSON.parse makes these own properties; a careless merge would copy them onto Object.prototype.
      Object.defineProperty(place, r.pick(['__proto__', 'constructor', 'prototype']), {
        value: r.chance(0.5) ? { polluted: 'yes', toString: 'x' } : { prototype: { polluted: 'yes' } },
        enumerable: true,
        configurable: true,
        writable: true,
      });
      continue;
    }
    if (keys.length === 0) continue;
    const key = r.pick(keys);
    if (kind === 'missing_fields') delete (place as Record<string, unknown>)[key];
    else (place as Record<string, unknown>)[key] = otherValue(r, (place as Record<string, unknown>)[key]);
  }
  if (kind === 'wrong_types' && r.chance(0.15)) return JSON.stringify(r.pick([null, [], 42, 'ok', [copy]]));
  return JSON.stringify(copy);
}

function parseOr(text: string | undefined): unknown {
  try {
    return text === undefined ? {} : JSON.parse(text);
  } catch {
    return {};
  }
}

export interface NonsenseContext {
  /** The simulator's real reply for this path, when one was seen. */
  base: { status: number; text: string } | undefined;
  /** Where `redirect_away` points (another origin that must never see a key). */
  elsewhere: string;
  /** Where `redirect_home` points (the same origin, for loops). */
  home: string;
}

const json = (res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}) =>
  void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);

export function nonsense(r: Rng, kind: NonsenseKind, ctx: NonsenseContext): FrontHandler {
  const status = ctx.base?.status ?? 200;
  const base = parseOr(ctx.base?.text);
  // Drawn now, not when the request comes: the same seed gives the same replies whatever the timing.
  switch (kind) {
    case 'wrong_types':
    case 'missing_fields':
    case 'pollution': {
      const text = damage(r, base, kind);
      return (_req, res) => json(res, status, text);
    }
    case 'odd_status': {
      const code = r.pick([200, 201, 202, 204, 206, 400, 401, 403, 404, 405, 409, 410, 413, 419, 422, 429, 500, 502, 503, 504]);
      const retryAfter = r.pick([undefined, '-1', 'abc', '99999999999', 'Wed, 21 Oct 2015 07:28:00 GMT', '0', '1e9']);
      const text = r.pick([ctx.base?.text ?? '{}', '{"message":"Server Error"}', '{"retry_after":"soon","error_code":42}', r.text(80), '']);
      return (_req, res) => json(res, code, text, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
    }
    case 'invalid_json': {
      const full = ctx.base?.text ?? '{"status":"success","data":{}}';
      const text = r.pick([full.slice(0, r.int(full.length)), `${full},`, `{'single': 'quotes'}`, '{"a":1}{"b":2}', '\u00ef\u00bb\u00bf{', r.text(200), 'undefined', 'NaN']);
      return (_req, res) => json(res, status, text);
    }
    case 'html':
      return (_req, res) => void res.writeHead(r.pick([200, status]), { 'content-type': 'text/html; charset=utf-8' }).end(CAPTIVE_PORTAL);
    case 'empty':
      return (_req, res) => void res.writeHead(r.pick([200, 201, 204, status])).end();
    case 'huge':
      return (_req, res) => hugeReply(res, status, ctx.base?.text ?? '{"status":"success"}');
    case 'reset_before':
      return (req) => req.socket.destroy();
    case 'reset_mid': {
      const cut = ctx.base?.text.slice(0, Math.max(1, r.int(ctx.base.text.length))) ?? '{"sta';
      return (req, res) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(cut.length + 100) });
        res.write(cut, () => req.socket.destroy());
      };
    }
    case 'redirect_away':
    case 'redirect_home': {
      const code = r.pick([301, 302, 303, 307, 308]);
      const to = kind === 'redirect_away' ? ctx.elsewhere : ctx.home;
      return (req, res) => void res.writeHead(code, { location: `${to}${req.url ?? '/'}`, 'content-type': 'text/html' }).end('Redirecting');
    }
  }
}

/** 10 MB of a JSON body that would pass its schema if read to the end (a padding string in the middle). */
function hugeReply(res: http.ServerResponse, status: number, validText: string): void {
  const head = Buffer.from(`{"padding":"`);
  const tail = Buffer.from(`",${validText.replace(/^\{/, '')}`);
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let left = HUGE_BYTES - head.length - tail.length;
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(status, { 'content-type': 'application/json' });
  res.write(head);
  const pump = (): void => {
    while (!closed && left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!closed) res.end(tail);
  };
  pump();
}

/** One byte a second of a reply (`headers`: the status line itself drips; else the headers come and the body drips). */
export function drip(where: 'headers' | 'body', totalBytes = 60): FrontHandler {
  return (req, res) => {
    const text = where === 'headers' ? `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{}` : `{"status":"success","padding":"${'x'.repeat(totalBytes)}"}`;
    if (where === 'body') res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    let at = 0;
    const timer = setInterval(() => {
      if (at >= text.length || req.socket.destroyed) return void clearInterval(timer);
      if (where === 'headers') req.socket.write(text[at]!);
      else res.write(text[at]!);
      at += 1;
    }, 1_000);
    req.socket.on('close', () => clearInterval(timer));
  };
}

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withOfflineFallback } from '../../src/maintenance/offline-pin.js';
import type { PinResult } from '../../src/maintenance/pin-verifier.js';

let dir: string;
let file: string;
let server: PinResult;
let now: number;
const serverVerify = async (pin: string): Promise<PinResult> => (server.kind === 'ok' && pin !== '123456' ? { kind: 'wrong' } : server);

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'offline-pin-'));
  file = path.join(dir, 'offline-pin.json');
  now = 1_000_000;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('offline technician PIN', () => {
  it('remembers a server-accepted PIN as a salted hash and accepts it while the server is away', async () => {
    const verify = withOfflineFallback(serverVerify, { file, validityMs: 60_000, now: () => now });
    server = { kind: 'ok', technicianName: 'Budi' };
    expect(await verify('123456')).toMatchObject({ kind: 'ok' });
    expect(readFileSync(file, 'utf8')).not.toContain('123456');
    server = { kind: 'unavailable', message: 'offline' };
    expect(await verify('123456')).toEqual({ kind: 'ok', technicianName: 'Budi', expiresAt: 1_060_000 });
    expect(await verify('654321')).toEqual({ kind: 'wrong' }); // counts as a guess for the lockout
  });

  it('stops working offline after its validity, and is off when validity is 0', async () => {
    server = { kind: 'ok', technicianName: 'Budi' };
    const verify = withOfflineFallback(serverVerify, { file, validityMs: 60_000, now: () => now });
    await verify('123456');
    server = { kind: 'unavailable', message: 'offline' };
    now += 60_001;
    expect(await verify('123456')).toMatchObject({ kind: 'unavailable' });
    const off = withOfflineFallback(serverVerify, { file: path.join(dir, 'off.json'), validityMs: 0, now: () => now });
    server = { kind: 'ok', technicianName: 'Budi' };
    await off('123456');
    expect(existsSync(path.join(dir, 'off.json'))).toBe(false);
  });

  it('keeps the remembered PIN when someone types a wrong one online', async () => {
    server = { kind: 'ok', technicianName: 'Budi' };
    const verify = withOfflineFallback(serverVerify, { file, validityMs: 60_000, now: () => now });
    await verify('123456');
    expect(await verify('000000')).toEqual({ kind: 'wrong' });
    server = { kind: 'unavailable', message: 'offline' };
    expect(await verify('123456')).toMatchObject({ kind: 'ok', technicianName: 'Budi' });
  });
});

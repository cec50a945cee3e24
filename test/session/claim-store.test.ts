/** Donations survive a restart; a torn or damaged line never invents one or loses the next. */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClaimStore } from '../../src/session/claim-store.js';
import { makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir('rvm-claims-')));
afterEach(async () => cleanup());

const donation = (claimCode: string) => ({ claimCode, sessionId: `s-${claimCode}`, points: 22, at: '2026-03-01T08:00:00.000Z' });

it('remembers a donation across a reopen, and writes a code only once', async () => {
  const store = await ClaimStore.open(dir);
  expect(store.isDonated('ACDEFGHJ')).toBe(false);
  await store.donate(donation('ACDEFGHJ'));
  await store.donate(donation('ACDEFGHJ'));
  expect(store.isDonated('ACDEFGHJ')).toBe(true);
  const again = await ClaimStore.open(dir);
  expect(again.isDonated('ACDEFGHJ')).toBe(true);
  expect(again.count).toBe(1);
  const lines = (await readFile(path.join(dir, 'donated.jsonl'), 'utf8')).trim().split('\n');
  expect(lines.map((l) => JSON.parse(l))).toEqual([donation('ACDEFGHJ')]);
});

it('ignores a torn last line, and the next donation after it stays readable', async () => {
  const store = await ClaimStore.open(dir);
  await store.donate(donation('ACDEFGHJ'));
  await appendFile(path.join(dir, 'donated.jsonl'), '{"claimCode":"KMNPQRTW","sess'); // power lost mid-append
  const reopened = await ClaimStore.open(dir);
  expect(reopened.isDonated('KMNPQRTW')).toBe(false);
  await reopened.donate(donation('XYZ34679'));
  const third = await ClaimStore.open(dir);
  expect(third.isDonated('ACDEFGHJ')).toBe(true);
  expect(third.isDonated('XYZ34679')).toBe(true);
  expect(third.isDonated('KMNPQRTW')).toBe(false);
});

it('skips a line that is not a donation without failing the start', async () => {
  await writeFile(path.join(dir, 'donated.jsonl'), `not json\n{"claimCode":42}\n${JSON.stringify(donation('ACDEFGHJ'))}\n`);
  const store = await ClaimStore.open(dir);
  expect(store.count).toBe(1);
  expect(store.isDonated('ACDEFGHJ')).toBe(true);
});

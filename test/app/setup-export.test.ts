/**
 * setupExport(): CSV of the history, the alert log, the credits held in the outbox and the audit log, as
 * text for the browser host (`export.csv`) and written to a USB drive (`export.toUsb`) with progress on
 * `export.state` — over the real stores (monitoring, outbox journal, audit log) in a temp folder, with a
 * temp folder standing in for the drive.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { setupExport } from '../../src/app/setup-export.js';
import type { PayloadOf } from '../../src/contract/index.js';
import { setLogSink } from '../../src/log/logger.js';
import { AuditLog } from '../../src/maintenance/audit-log.js';
import { monitoringConfig } from '../../src/monitoring/config.js';
import { Monitoring } from '../../src/monitoring/monitoring.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { testContext } from '../helpers/context.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';

// 2026-01-01 10:00 in Jakarta (UTC+7): the folder is stamped in the machine's zone.
const NOW = Date.UTC(2026, 0, 1, 3, 0, 0);
const DAY = 86_400_000;
let dir: string;
let cleanup: () => Promise<void>;
const steps: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-export-'));
  const previous = setLogSink(() => undefined); // refusals below are expected; keep their warnings off stderr
  steps.push(() => void setLogSink(previous));
});
afterEach(async () => {
  for (const step of steps.splice(0).reverse()) await step();
  await cleanup();
});

async function kiosk(): Promise<{ ctx: KioskContext; drive: string; states: Array<PayloadOf<'export.state'>> }> {
  const drive = path.join(dir, 'media', 'KINGSTON');
  await mkdir(drive, { recursive: true });
  const ctx = testContext(kioskConfig.parse({ dataDir: dir, timezone: 'Asia/Jakarta', usbExport: { extraDirs: [drive, path.join(dir, 'not-there')] } }));
  steps.push(() => ctx.core.dispose());
  const monitoring = await Monitoring.open(path.join(dir, 'monitoring'), { settings: monitoringConfig.parse({}), rules: { binFullPercent: 90, binFullConfigured: false }, now: () => NOW - DAY / 2 });
  steps.push(() => monitoring.close());
  await monitoring.observe([{ sensor: 'bin.glass', value: 95, at: NOW - DAY / 2 }]);
  const outbox = await Outbox.open(path.join(dir, 'outbox'), outboxConfig.parse({}));
  steps.push(() => outbox.close());
  // No sender is attached: the credits stay in the journal, as they do while the server is unreachable.
  await outbox.record(makeCredit(1, { at: new Date(NOW - 3_600_000).toISOString() }));
  await outbox.record(makeCredit(2, { at: new Date(NOW - 2 * DAY).toISOString() }));
  const audit = await AuditLog.open({ file: path.join(dir, 'audit.jsonl'), now: () => NOW - 60_000 });
  await audit.record({ technicianName: 'Siti', assignmentId: 7, action: 'bin_emptied', detail: { bin: 'glass' }, result: 'ok' });
  const states: Array<PayloadOf<'export.state'>> = [];
  ctx.core.subscribe((name, payload) => name === 'export.state' && states.push(payload as PayloadOf<'export.state'>));
  setupExport(ctx, { monitoring, outbox, audit, serial: 'RVM-202601-006', now: () => NOW, roots: [path.join(dir, 'media-root')], mountTable: async () => '' });
  return { ctx, drive, states };
}

describe('setupExport', () => {
  it('lists the configured extra folder as a drive, and only while it exists', async () => {
    const { ctx, drive } = await kiosk();
    expect(await ctx.core.call('export.usbMounts', {})).toEqual({ mounts: [{ dir: drive, label: 'KINGSTON', writable: true }] });
  });

  it('writes one CSV per kind into a new folder on the drive, with progress, and a second folder for a second export', async () => {
    const { ctx, drive, states } = await kiosk();
    const reply = await ctx.core.call('export.toUsb', { kinds: ['history', 'alerts', 'credits', 'audit'], from: NOW - DAY, mount: drive });
    const folder = path.join(drive, 'rvm-export-RVM-202601-006-20260101-1000');
    expect(reply).toEqual({
      dir: folder,
      files: [
        { kind: 'history', name: 'history.csv', rows: 1 },
        { kind: 'alerts', name: 'alerts.csv', rows: 1 },
        { kind: 'credits', name: 'credits.csv', rows: 1 },
        { kind: 'audit', name: 'audit.csv', rows: 1 },
      ],
    });
    expect((await readdir(folder)).sort()).toEqual(['alerts.csv', 'audit.csv', 'credits.csv', 'history.csv']);
    const credits = await readFile(path.join(folder, 'credits.csv'), 'utf8');
    // Only the credit inside the range; the one from two days ago is left out.
    expect(credits.split('\r\n')).toEqual([
      'at,recorded_at,id,session_id,material,points,weight_grams,confidence,has_image,status,error',
      expect.stringMatching(/^2026-01-01T02:00:00.000Z,.*,credit-00001,session-0,pet,10,16,0.9,false,pending,$/),
      '',
    ]);
    expect(await readFile(path.join(folder, 'audit.csv'), 'utf8')).toContain('Siti,7,bin_emptied,ok,false,bin=glass,');
    expect(await readFile(path.join(folder, 'alerts.csv'), 'utf8')).toContain('bin_full.glass');
    expect(states.map((s) => `${s.phase} ${s.percent} ${s.file ?? ''}`)).toEqual([
      'idle 0 ',
      'writing 0 ',
      'writing 0 history.csv', 'writing 25 history.csv',
      'writing 25 alerts.csv', 'writing 50 alerts.csv',
      'writing 50 credits.csv', 'writing 75 credits.csv',
      'writing 75 audit.csv', 'writing 100 audit.csv',
      'done 100 audit.csv',
    ]);

    const again = await ctx.core.call('export.toUsb', { kinds: ['alerts'], from: NOW - DAY, mount: drive });
    expect(again.dir).toBe(`${folder}-2`);
  });

  it('refuses a folder that is not an offered drive, and a second export while one runs', async () => {
    const { ctx, drive, states } = await kiosk();
    await expect(ctx.core.call('export.toUsb', { kinds: ['audit'], from: NOW - DAY, mount: dir })).rejects.toMatchObject({ reason: 'export_not_a_drive' });
    expect(states.at(-1)).toMatchObject({ phase: 'failed', error: 'export_not_a_drive' });
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/^rvm-export/));

    const first = ctx.core.call('export.toUsb', { kinds: ['history'], from: NOW - DAY, mount: drive });
    await expect(ctx.core.call('export.toUsb', { kinds: ['audit'], from: NOW - DAY, mount: drive })).rejects.toMatchObject({ reason: 'export_busy' });
    await expect(first).resolves.toMatchObject({ files: [{ kind: 'history' }] });
  });

  it('gives the browser host the CSV text of one kind, named by serial and local days', async () => {
    const { ctx } = await kiosk();
    const reply = await ctx.core.call('export.csv', { kind: 'credits', from: NOW - 3 * DAY, to: NOW });
    expect(reply).toMatchObject({ filename: 'RVM-202601-006-credits-20251229-20260101.csv', rows: 2 });
    // Oldest first.
    expect(reply.csv.indexOf('credit-00002')).toBeLessThan(reply.csv.indexOf('credit-00001'));
  });
});

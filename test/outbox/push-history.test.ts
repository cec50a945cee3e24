/**
 * The durable push history (when, how many, result, manual or automatic), bounded; and date-range preview
 * and push with bounds computed in the machine's zone, right at the midnight edges.
 */
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { setupOutbox } from '../../src/app/setup-outbox.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { dayOf, dayRange, startOfDay } from '../../src/domain/zoned-day.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { MAX_ENTRIES, PushHistory } from '../../src/outbox/push-history.js';
import { eventually } from '../helpers/eventually.js';
import { testContext } from '../helpers/context.js';
import { makeCredit, outboxPerTest, recordingServer } from '../helpers/outbox.js';

const rig = outboxPerTest('rvm-pushes-');
const openOutbox = () => rig.open(outboxConfig.parse({ flushDelayMs: 1, batchSize: 5 }));

describe('push history', () => {
  it('records automatic passes and manual pushes (with their range), newest first, and keeps them across a restart', async () => {
    const first = await openOutbox();
    const server = recordingServer();
    first.attachSender(server);
    await first.record(makeCredit(1));
    await eventually(() => first.pushHistory().length === 1, { what: 'the automatic pass in the history' });
    expect(first.pushHistory()[0]).toMatchObject({ trigger: 'automatic', result: 'ok', attempted: 1, pushed: 1, failed: 0, from: null, to: null });

    await first.record(makeCredit(2));
    await eventually(() => server.received.length === 2, { what: 'the second credit out' });
    await first.push({ from: 1_000, to: 2_000 }); // nothing in that range: still a manual entry
    await first.close();

    const second = await openOutbox();
    const entries = second.pushHistory();
    expect(entries[0]).toMatchObject({ trigger: 'manual', result: 'ok', attempted: 0, from: 1_000, to: 2_000 });
    expect(entries.filter((e) => e.trigger === 'automatic')).toHaveLength(2);
    expect(second.pushHistory(1)).toHaveLength(1);
  });

  it('records failed passes and refused (held) manual pushes', async () => {
    const outbox = await openOutbox();
    outbox.attachSender({ send: async () => ({ kind: 'retryable', message: 'HTTP 503' }) });
    await outbox.record(makeCredit(1));
    await eventually(() => outbox.pushHistory().some((e) => e.result === 'retryable'), { what: 'the failed pass' });
    expect(outbox.pushHistory()[0]).toMatchObject({ trigger: 'automatic', result: 'retryable', attempted: 1, pushed: 0, message: 'HTTP 503' });
    await outbox.setHold(true, 'x');
    await expect(outbox.push()).rejects.toThrow(/on hold/);
    expect(outbox.pushHistory()[0]).toMatchObject({ trigger: 'manual', result: 'held', attempted: 0 });
  });

  it('is bounded: the oldest entries go', async () => {
    const history = await PushHistory.open(rig.dir());
    for (let n = 0; n < MAX_ENTRIES + 5; n += 1) void history.record('manual', { outcome: 'ok', attempted: n, pushed: n, failed: 0 }, {}, n);
    await history.flushed();
    const reopened = await PushHistory.open(rig.dir());
    const all = reopened.list();
    expect(all).toHaveLength(MAX_ENTRIES);
    expect(all[0]!.attempted).toBe(MAX_ENTRIES + 4);
    expect(all.at(-1)!.attempted).toBe(5);
  });

  it('starts empty from a damaged file instead of refusing to start', async () => {
    await writeFile(path.join(rig.dir(), 'push-history.json'), '[{"at":1,');
    const outbox = await openOutbox();
    expect(outbox.pushHistory()).toEqual([]);
  });

  it('serves outbox.history through the core', async () => {
    const core = new KioskCore();
    core.setTechnicianCheck(() => true);
    const ctx = testContext(kioskConfig.parse({ dataDir: rig.dir(), outbox: { flushDelayMs: 0 } }), { core });
    try {
      const outbox = await setupOutbox(ctx);
      outbox.attachSender(recordingServer());
      await ctx.core.call('outbox.push', {});
      const { entries } = await ctx.core.call('outbox.history', {});
      expect(entries).toEqual([{ at: expect.any(Number), trigger: 'manual', result: 'ok', attempted: 0, pushed: 0, failed: 0, from: null, to: null, message: null }]);
    } finally {
      await ctx.core.dispose();
    }
  });
});

describe("date ranges in the machine's zone", () => {
  // Jakarta is UTC+7: 31 January there runs from 30 Jan 17:00Z to 31 Jan 17:00Z.
  const zone = 'Asia/Jakarta';
  const lastMsOf31 = Date.UTC(2026, 0, 31, 16, 59, 59, 999);
  const firstMsOfFeb1 = Date.UTC(2026, 0, 31, 17);
  const lastMsOf30 = Date.UTC(2026, 0, 30, 16, 59, 59, 999);
  const credits = [
    makeCredit(1, { at: new Date(lastMsOf30).toISOString() }),
    makeCredit(2, { at: new Date(lastMsOf30 + 1).toISOString() }), // 00:00:00.000 on the 31st, Jakarta
    makeCredit(3, { at: new Date(lastMsOf31).toISOString() }), // 23:59:59.999 on the 31st, Jakarta — but 31 Jan in UTC too
    makeCredit(4, { at: new Date(firstMsOfFeb1).toISOString() }), // 00:00 on 1 Feb in Jakarta, still 31 Jan in UTC
  ];

  it('computes day bounds from the zone, whatever zone the process runs in', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(dayRange('2026-01-31', zone)).toEqual({ from: lastMsOf30 + 1, to: firstMsOfFeb1 });
        expect(dayOf(lastMsOf31, zone)).toBe('2026-01-31');
        expect(dayOf(firstMsOfFeb1, zone)).toBe('2026-02-01');
      }
    } finally {
      process.env.TZ = saved;
    }
  });

  it('handles days with a DST change (23 and 25 hours) and month/year ends', () => {
    const spring = dayRange('2026-03-29', 'Europe/Berlin');
    expect(spring.to - spring.from).toBe(23 * 3_600_000);
    const autumn = dayRange('2026-10-25', 'Europe/Berlin');
    expect(autumn.to - autumn.from).toBe(25 * 3_600_000);
    expect(dayRange('2025-12-31', zone)).toEqual({ from: Date.UTC(2025, 11, 30, 17), to: Date.UTC(2025, 11, 31, 17) });
    expect(dayRange('2026-02-01', zone, '2026-02-28').to).toBe(startOfDay('2026-03-01', zone));
    expect(() => startOfDay('31/01/2026', zone)).toThrow(/YYYY-MM-DD/);
  });

  it('previews and pushes exactly the credits of that day in the machine zone, epoch ms or ISO with offset alike', async () => {
    const core = new KioskCore();
    core.setTechnicianCheck(() => true);
    const ctx = testContext(kioskConfig.parse({ dataDir: rig.dir(), timezone: zone, outbox: { flushDelayMs: 60_000 } }), { core });
    try {
      const outbox = await setupOutbox(ctx);
      // Attached first: each credit then schedules an automatic pass a minute away (flushDelayMs), which the
      // test never reaches, so only the manual push sends.
      const server = recordingServer();
      outbox.attachSender(server);
      // The attach pass runs on a zero timer: wait until it has run, or it could take the first credits
      // recorded below (a race the loaded CI machine lost) and the preview would miss them.
      await eventually(() => outbox.quiet, { what: 'the attach pass to end' });
      for (const c of credits) await outbox.record(c);
      const day = dayRange('2026-01-31', ctx.config.timezone);
      const preview = await ctx.core.call('outbox.preview', day);
      expect(preview.records.map((r) => r.id)).toEqual(['credit-00002', 'credit-00003']);
      // The same bounds as ISO strings with the machine's offset.
      const iso = await ctx.core.call('outbox.preview', { from: '2026-01-31T00:00:00+07:00', to: '2026-02-01T00:00:00+07:00' });
      expect(iso.records.map((r) => r.id)).toEqual(['credit-00002', 'credit-00003']);
      // A date-time without an offset would be read in the process's zone: refused.
      const local = await ctx.core.dispatch({ type: 'command', id: 9, name: 'outbox.preview', payload: { from: '2026-01-31T00:00:00' } });
      expect(local).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

      const pushed = await ctx.core.call('outbox.push', day);
      expect(pushed).toMatchObject({ outcome: 'ok', attempted: 2, pushed: 2 });
      expect(server.received).toEqual(['credit-00002', 'credit-00003']);
      expect(outbox.pushHistory()[0]).toMatchObject({ trigger: 'manual', from: day.from, to: day.to, pushed: 2 });
    } finally {
      await ctx.core.dispose();
    }
  });
});

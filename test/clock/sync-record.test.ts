/** The clock's durable record: zone, zone changes and sync figures survive a restart; a damaged file does not stop the clock. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ClockSync } from '../../src/clock/clock-sync.js';
import { clockConfig } from '../../src/clock/config.js';
import { SyncRecord } from '../../src/clock/sync-record.js';

const dirs: string[] = [];
const clocks: ClockSync[] = [];
afterEach(() => {
  clocks.splice(0).forEach((c) => c.stop());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'clock-record-'));
  dirs.push(dir);
  return path.join(dir, 'clock');
}

function clockOn(dir: string, override: string | null = null): ClockSync {
  const clock = new ClockSync(clockConfig.parse({ timezoneOverride: override }), 'Asia/Jakarta', { onState: () => undefined, record: SyncRecord.open(dir) });
  clocks.push(clock);
  return clock;
}

it('keeps the zone, its source and the change count across a restart; a restart is not a change', async () => {
  const dir = tmp();
  const first = clockOn(dir);
  first.setTimezone('Asia/Makassar', 'handshake');
  first.setTimezone('Asia/Makassar', 'handshake');
  first.setTimezone('Asia/Jayapura', 'timezone_sync');
  first.record.update({ successes: 4, failures: 1, spelling: 'dash' });
  await first.record.flush();
  expect(first.state().sync).toMatchObject({ zoneChanges: 2, zoneSource: 'timezone_sync' });

  const second = clockOn(dir);
  expect(second.state()).toMatchObject({ timezone: 'Asia/Jayapura', abbreviation: 'WIT', sync: { zoneSource: 'timezone_sync', zoneChanges: 2 } });
  expect(second.record.data).toMatchObject({ successes: 4, failures: 1, spelling: 'dash' });
  second.setTimezone('Asia/Jakarta', 'handshake'); // ranks below timezone_sync: no change
  expect(second.state().sync.zoneChanges).toBe(2);
  await second.record.flush();
  expect(JSON.parse(readFileSync(path.join(dir, 'timezone-sync.json'), 'utf8'))).toMatchObject({ version: 1, zoneChanges: 2, zone: { timezone: 'Asia/Jayapura', source: 'timezone_sync' } });
  expect(readdirSync(dir)).toEqual(['timezone-sync.json']); // the temporary file of the atomic write is gone
});

it('a local override from the configuration is not resurrected once removed', async () => {
  const dir = tmp();
  const first = clockOn(dir, 'Asia/Jayapura');
  expect(first.timezone).toBe('Asia/Jayapura');
  await first.record.flush();
  expect(clockOn(dir).timezone).toBe('Asia/Jakarta');
});

it('a damaged record is set aside and the clock starts from empty figures', () => {
  const dir = tmp();
  clockOn(dir);
  writeFileSync(path.join(dir, 'timezone-sync.json'), '{"version":1,"zoneCh');
  const clock = clockOn(dir);
  expect(clock.state().sync.zoneChanges).toBe(0);
  expect(readdirSync(dir).some((f) => f.startsWith('timezone-sync.json.damaged-'))).toBe(true);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { setupClock } from '../../src/app/setup-clock.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { testContext } from '../helpers/context.js';

const core = new KioskCore();
const dataDir = mkdtempSync(path.join(tmpdir(), 'setup-clock-'));
afterEach(async () => {
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('publishes clock.state at start-up and again once the server link feeds it', () => {
  const config = kioskConfig.parse({ dataDir, timezone: 'Asia/Makassar', clock: { driftAlarmMs: 1000 } });
  const clock = setupClock(testContext(config, { core }));
  expect(core.current('clock.state')).toMatchObject({ offsetMs: 0, timezone: 'Asia/Makassar', abbreviation: 'WITA', synced: false, source: 'device' });
  const sentAt = Date.now();
  // A heartbeat answer: ISO server_time with whole seconds, 5 s ahead of the device.
  const serverTime = new Date(Math.floor((sentAt + 5000) / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
  expect(clock.addSample({ serverTime, sentAt, receivedAt: sentAt + 30 })).toBe(true);
  const state = core.current('clock.state')!;
  expect(state).toMatchObject({ synced: true, source: 'server', driftAlarm: true });
  expect(Math.abs(state.offsetMs - 5000)).toBeLessThanOrEqual(1030);
  clock.setTimezone('Asia/Jayapura', 'handshake');
  expect(core.current('clock.state')?.abbreviation).toBe('WIT');
});

/**
 * The clock the UI shows: device time plus the server offset, in the machine's time zone. Synchronous at
 * start-up (device time, unsynced, in the zone the record kept from the last run); wire-server-link.ts then
 * feeds it server-time samples (heartbeat `server_time`, HTTP `Date` header) and the machine's zone from the
 * bus (`server.timezone`: handshake). setupTimezoneSync adds the designed timezone sync once the link is
 * built: after each handshake, on the dashboard's realtime `timezone_update`, and the technician's
 * `clock.syncTimezone` (also answered as the older `server.syncTimezone`, which the server panel calls).
 */
import path from 'node:path';
import { ClockSync } from '../clock/clock-sync.js';
import { SyncRecord } from '../clock/sync-record.js';
import type { TimezoneSyncPort } from '../clock/ports.js';
import { TimezoneSyncer, type TimezoneSyncReplyPayload } from '../clock/timezone-syncer.js';
import { DesignedTimezone } from '../server/endpoints/designed-timezone.js';
import type { ServerLink } from '../server/server-link.js';
import type { KioskContext } from './context.js';

export function setupClock({ core, config }: KioskContext): ClockSync {
  const settings = config.clock;
  const record = SyncRecord.open(path.join(config.dataDir, 'clock'));
  const clock = new ClockSync(settings, config.timezone, { onState: (state) => core.emit('clock.state', state), record });
  clock.start();
  core.onDispose(() => clock.stop());
  core.onDispose(() => record.flush());
  return clock;
}

export function setupTimezoneSync({ core, bus, config }: KioskContext, clock: ClockSync, link: ServerLink | null): TimezoneSyncer {
  const { record } = clock;
  // Without a link the figures still show (from the record) and the command says why nothing happens.
  const port: TimezoneSyncPort = link
    ? new DesignedTimezone(link.client, link.designed, {
        deviceId: () => link.hardwareId,
        memory: { get: () => record.data.spelling, set: (spelling) => record.update({ spelling }) },
      })
    : { availability: () => 'absent', sync: async () => ({ kind: 'unsupported' }), status: async () => null };
  const syncer = new TimezoneSyncer({ port, record, target: clock, config: config.clock.timezoneSync });
  syncer.start();
  const syncNow = async (): Promise<TimezoneSyncReplyPayload> => (link ? syncer.syncNow() : { ...(await syncer.syncNow()), outcome: 'unconfigured' });
  core.handle('clock.syncTimezone', syncNow);
  core.handle('server.syncTimezone', async () => {
    const r = await syncNow();
    const supported = r.outcome !== 'unsupported' && r.outcome !== 'unconfigured';
    return { supported, timezone: r.timezone, message: r.reason ? `${r.outcome}: ${r.reason}` : r.outcome };
  });
  const offs = [bus.on('server.timezoneRequest', ({ timezone }) => syncer.remoteUpdate(timezone))];
  if (link) offs.push(link.onHandshake(() => syncer.request('automatic')));
  core.onDispose(() => {
    offs.forEach((off) => off());
    syncer.stop();
  });
  return syncer;
}

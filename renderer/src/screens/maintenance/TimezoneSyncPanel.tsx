import { useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel, type PanelTone } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText, useBusy, useMachineNow, useRelativeTime } from './hooks.js';
import { formatAt } from './zone-time.js';

type T = ReturnType<typeof useT>;
type Reply = ReplyOf<'clock.syncTimezone'>;

/** The core sends network / timeout / invalid_reply / http_<status>; the status number is data, not words. */
export function tzErrorText(code: string, t: T): string {
  const http = /^http_(\d+)$/.exec(code);
  if (http) return t('maintenance.clock.tzError.http', { status: http[1] ?? '' });
  return t(`maintenance.clock.tzError.${code}`);
}

/** The server's own timestamp, shown in the machine zone; one it spells oddly is shown as it came. */
function serverTime(iso: string | null, now: number, timeZone: string): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? formatAt(ms, now, timeZone) : iso;
}

export function tzOutcomeText(reply: Reply, t: T): string {
  switch (reply.outcome) {
    case 'synced':
      return t('maintenance.clock.tzOutcome.synced', { timezone: reply.timezone ?? '—' });
    case 'failed':
      return t('maintenance.clock.tzOutcome.failed', { reason: reply.reason ? tzErrorText(reply.reason, t) : '—' });
    case 'too_soon':
      // Rounded up: "try again in 0 seconds" would invite a tap that is refused again.
      return t('maintenance.clock.tzOutcome.too_soon', { seconds: Math.ceil((reply.retryInMs ?? 0) / 1000) });
    default:
      return t(`maintenance.clock.tzOutcome.${reply.outcome}`);
  }
}

/**
 * The designed timezone-sync endpoint (contract/clock.ts) as the technician sees it: whether this server offers
 * it, what it did, what the server keeps for this device, and the manual "Sync timezone" button. Today's
 * MyRVM-Server has no such endpoint, so "not offered by this server" is the common, calm case.
 */
export function TimezoneSyncPanel() {
  const t = useT();
  const clock = useKiosk((s) => s.clock);
  const now = useMachineNow();
  const { ago, inTime } = useRelativeTime();
  const [busy, run] = useBusy();
  const [message, setMessage] = useState<string | null>(null);
  const tz = clock.sync.timezoneSync;

  const sync = () =>
    run(async () => {
      setMessage(t('maintenance.working'));
      const reply = await callCore('clock.syncTimezone', {});
      setMessage(reply ? tzOutcomeText(reply, t) : noReplyText(t));
    });

  const tone: PanelTone = !tz || tz.availability === 'absent' ? 'warn' : tz.lastResult === 'failed' ? 'bad' : 'ok';
  const server = tz?.server;
  return (
    <Panel
      title={t('maintenance.clock.tzTitle')}
      testId="panel-timezone-sync"
      tone={tone}
      facts={[
        [
          t('maintenance.clock.tzAvailabilityLabel'),
          <span key="avail" data-testid="tz-availability">{t(`maintenance.clock.tzAvailability.${tz?.availability ?? 'absent'}`)}</span>,
        ],
        [t('maintenance.clock.zone'), `${clock.timezone} (${clock.abbreviation})`],
        [t('maintenance.clock.tzPlace'), tz && (tz.country || tz.city) ? [tz.country, tz.city].filter(Boolean).join(' · ') : null],
        [
          t('maintenance.clock.tzLastSync'),
          tz?.lastSyncAt ? `${ago(tz.lastSyncAt)}${tz.lastMethod ? ` · ${t(`maintenance.clock.tzMethod.${tz.lastMethod}`)}` : ''}` : null,
        ],
        [
          t('maintenance.clock.tzCounts'),
          tz ? (
            <span key="counts" data-testid="tz-counts">
              {t('maintenance.clock.tzCountsValue', {
                successes: tz.successes,
                failures: tz.failures,
                rate: tz.successRate === null ? '—' : Math.round(tz.successRate * 100),
              })}
            </span>
          ) : null,
        ],
        [t('maintenance.lastError'), tz?.lastError ? <span key="err" data-testid="tz-last-error">{tzErrorText(tz.lastError, t)}</span> : null],
        [t('maintenance.clock.tzNext'), tz?.nextAutoAt ? inTime(tz.nextAutoAt) : null],
        [
          t('maintenance.clock.tzServer'),
          server ? (
            <span key="server" data-testid="tz-server">
              {t('maintenance.clock.tzServerValue', {
                timezone: server.timezone ?? '—',
                at: serverTime(server.lastSyncAt, now, clock.timezone),
                count: server.syncCount ?? '—',
              })}
            </span>
          ) : null,
        ],
        [t('maintenance.clock.tzZoneChanges'), t('maintenance.clock.zoneChanges', { count: clock.sync.zoneChanges })],
      ]}
    >
      <button className="button small" data-testid="tz-sync" disabled={busy} onClick={() => void sync()}>
        {t('maintenance.clock.tzSync')}
      </button>
      {message ? <div className="panel-result" data-testid="tz-result">{message}</div> : null}
    </Panel>
  );
}

import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { useMachineNow } from './hooks.js';
import { formatAt, formatDuration } from './zone-time.js';

/** Today's figures ask again at this pace while shown: items arrive one by one, and a minute is fresh enough. */
export const SUMMARY_REFRESH_MS = 60_000;

/** Today's figures: items by material, points, reject rate, open alerts, uptime. */
export function SummaryPanel() {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow(60_000);
  const [summary, setSummary] = useState<ReplyOf<'monitoring.summary'> | null>(null);

  useEffect(() => {
    const load = () => void callCore('monitoring.summary', {}).then((reply) => reply && setSummary(reply));
    load();
    const timer = setInterval(load, SUMMARY_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const s = summary;
  return (
    <Panel
      title={t('maintenance.summary.title')}
      testId="panel-summary"
      tone={!s ? 'warn' : s.openAlerts.critical > 0 ? 'bad' : s.openAlerts.total > 0 ? 'warn' : 'ok'}
      facts={[
        [t('maintenance.summary.since'), s ? `${s.day} · ${formatAt(s.since, now, timeZone)}` : null],
        [t('material.pet'), s?.items.pet],
        [t('material.can'), s?.items.can],
        [t('material.glass'), s?.items.glass],
        [t('maintenance.summary.acceptedRejected'), s ? `${s.accepted} / ${s.rejected}` : null],
        [t('maintenance.summary.rejectRate'), s ? `${(s.rejectRate * 100).toFixed(1)}%` : null],
        [t('maintenance.col.points'), s?.points],
        [
          t('maintenance.summary.openAlerts'),
          s ? <span key="open" data-testid="summary-open-alerts">{t('maintenance.summary.openAlertsValue', { ...s.openAlerts })}</span> : null,
        ],
        [t('maintenance.summary.uptime'), s ? formatDuration(s.uptimeMs) : null],
        [t('maintenance.summary.systemUptime'), s ? formatDuration(s.systemUptimeMs) : null],
      ]}
    />
  );
}

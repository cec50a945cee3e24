import { Panel } from '../../components/Panel.js';
import { locales, useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { useMachineNow } from './hooks.js';
import { formatAt } from './zone-time.js';

/** The kiosk's clock as the server sees it: local time in the machine zone, sync state, offset and drift. */
export function ClockStatusPanel() {
  const t = useT();
  const clock = useKiosk((s) => s.clock);
  const language = useKiosk((s) => s.language);
  const now = useMachineNow();
  const date = new Intl.DateTimeFormat(locales[language], { timeZone: clock.timezone, dateStyle: 'medium' }).format(now);
  const sign = clock.offsetMs >= 0 ? '+' : '−';

  return (
    <Panel
      title={t('maintenance.clock.title')}
      testId="panel-clock"
      tone={clock.driftAlarm ? 'bad' : clock.synced ? 'ok' : 'warn'}
      facts={[
        [t('maintenance.clock.local'), <span key="local" data-testid="maintenance-clock-time">{`${formatAt(now, now, clock.timezone)} · ${date}`}</span>],
        [t('maintenance.clock.zone'), <span key="zone" data-testid="maintenance-clock-zone">{`${clock.timezone} (${clock.abbreviation})`}</span>],
        [t('maintenance.clock.sync'), `${clock.synced ? t('maintenance.yes') : t('maintenance.no')} · ${t(`maintenance.clock.source.${clock.source}`)}`],
        [t('maintenance.clock.offset'), `${sign}${Math.abs(Math.round(clock.offsetMs))} ms`],
        [t('maintenance.clock.lastSample'), clock.sync.lastSampleAt ? formatAt(clock.sync.lastSampleAt, now, clock.timezone) : '—'],
        [
          t('maintenance.clock.zoneSource'),
          <span key="zsrc" data-testid="maintenance-clock-zone-source">
            {`${t(`maintenance.clock.zoneFrom.${clock.sync.zoneSource}`)} · ${t('maintenance.clock.zoneChanges', { count: clock.sync.zoneChanges })}${clock.sync.lastZoneChangeAt ? ` (${formatAt(clock.sync.lastZoneChangeAt, now, clock.timezone)})` : ''}`}
          </span>,
        ],
        [
          t('maintenance.clock.drift'),
          <span key="drift" data-testid="maintenance-clock-drift" className={clock.driftAlarm ? 'bad-text' : undefined}>
            {clock.driftAlarm ? t('clock.drift') : t('maintenance.no')}
          </span>,
        ],
      ]}
    />
  );
}

import type { ReactNode } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { useMachineNow } from './hooks.js';
import { formatAt } from './zone-time.js';

export type Alert = ReplyOf<'monitoring.alerts'>['alerts'][number];
type Actor = Alert['history'][number]['by'];

export function actorText(t: ReturnType<typeof useT>, by: Actor): string {
  if (by.kind === 'system') return t('maintenance.alerts.by.system');
  return by.assignmentId === null ? by.name : t('maintenance.alerts.by.technician', { name: by.name, assignment: by.assignmentId });
}

/**
 * One alert: severity, rule, status, since when, the reading against its threshold, and every transition with
 * who, the note, and whether the webhook got it (sent, or failed with the receiver's error) once that settled.
 */
export function AlertCard({ alert, testId, children }: { alert: Alert; testId: string; children?: ReactNode }) {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow(10_000);
  const at = (ms: number) => formatAt(ms, now, timeZone);
  const effect =
    alert.effect.kind === 'stop_material'
      ? t('maintenance.alerts.effect.stop_material', { material: t(`material.${alert.effect.material}`) })
      : t(`maintenance.alerts.effect.${alert.effect.kind}`);
  return (
    <li className={`alert-card severity-${alert.severity}`} data-testid={testId} data-status={alert.status}>
      <div className="alert-head">
        <span className={`severity-badge severity-${alert.severity}`}>{t(`maintenance.severity.${alert.severity}`)}</span>
        <span className="mono">{alert.rule}</span>
        <span>{t(`maintenance.alertStatus.${alert.status}`)}</span>
        <span>{t('maintenance.alerts.since', { time: at(alert.raisedAt) })}</span>
      </div>
      <div className="alert-facts">
        {t('maintenance.alerts.value', {
          value: alert.value,
          threshold: alert.threshold,
          source: t(`maintenance.alerts.thresholdSource.${alert.thresholdSource}`),
        })}
        {alert.effect.kind === 'none' ? null : ` · ${effect}`}
      </div>
      <ol className="alert-history" data-testid={`${testId}-history`}>
        {alert.history.map((h, i) => (
          <li key={i}>
            {t('maintenance.alerts.transition', { status: t(`maintenance.alertStatus.${h.status}`), time: at(h.at), by: actorText(t, h.by) })}
            {h.note ? <q className="alert-note">{h.note}</q> : null}
            {h.delivery?.webhook ? (
              <span className={`alert-delivery delivery-${h.delivery.webhook.status}`} data-testid={`${testId}-delivery-${i}`}>
                {h.delivery.webhook.status === 'sent'
                  ? t('maintenance.alerts.delivery.sent', { time: at(h.delivery.webhook.at) })
                  : t('maintenance.alerts.delivery.failed', { time: at(h.delivery.webhook.at), error: h.delivery.webhook.error ?? '—' })}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {children}
    </li>
  );
}

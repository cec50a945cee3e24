import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** Ready / out of service with the reasons, in the recycler's language. */
export function StatusBadge() {
  const status = useKiosk((s) => s.status);
  const connected = useKiosk((s) => s.connected);
  const t = useT();
  if (!connected) return <div className="status status-bad" data-testid="machine-status">{t('common.offline')}</div>;
  if (!status) return null;
  const reasons = status.reasons.map((r) => {
    const text = t(`reason.${r.code}`);
    return text === `reason.${r.code}` ? t('reason.unknown') : text;
  });
  const good = status.state === 'ready' || status.state === 'busy';
  return (
    <div className={`status ${good ? 'status-ok' : 'status-bad'}`} data-testid="machine-status" data-state={status.state}>
      {t(`status.${status.state}`)}
      {reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}
      {status.demoMode ? <span className="demo-tag"> · {t('common.demo')}</span> : null}
    </div>
  );
}

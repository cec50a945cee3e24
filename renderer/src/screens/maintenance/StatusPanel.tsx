import type { PayloadOf } from '../../../../src/contract/index.js';
import { Panel } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';

type Reason = PayloadOf<'system.status'>['reasons'][number];

/** The machine's overall state with every out-of-service reason and notice, plus the screen's own link to the core. */
export function StatusPanel() {
  const t = useT();
  const status = useKiosk((s) => s.status);
  const connected = useKiosk((s) => s.connected);
  const transport = useKiosk((s) => s.transport);

  // The recycler sees a translated reason; the technician also needs the detail the core attached.
  const describe = (r: Reason) => {
    const key = `reason.${r.code}`;
    const text = t(key);
    const name = text === key ? r.code : text;
    return r.detail ? `${name} (${r.detail})` : name;
  };
  const list = (items: Reason[], testId: string) =>
    items.length === 0 ? (
      t('maintenance.none')
    ) : (
      <ul className="reason-list" data-testid={testId}>
        {items.map((r, i) => (
          <li key={`${r.code}-${i}`} data-code={r.code}>{describe(r)}</li>
        ))}
      </ul>
    );

  const bad = !connected || !status || status.reasons.length > 0;
  return (
    <Panel
      title={t('maintenance.status.title')}
      testId="panel-status"
      tone={bad ? 'bad' : status.notices.length > 0 ? 'warn' : 'ok'}
      facts={[
        [t('maintenance.status.state'), status ? <span key="state" data-testid="status-state" data-state={status.state}>{t(`status.${status.state}`)}</span> : null],
        [t('maintenance.status.reasons'), status ? list(status.reasons, 'status-reasons') : null],
        [t('maintenance.status.notices'), status ? list(status.notices, 'status-notices') : null],
        [t('maintenance.status.demo'), status ? (status.demoMode ? t('maintenance.yes') : t('maintenance.no')) : null],
        [t('maintenance.status.connection'), connected ? t('maintenance.status.connected', { transport: transport ?? '—' }) : t('common.offline')],
      ]}
    />
  );
}

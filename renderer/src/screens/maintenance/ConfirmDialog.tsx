import { useT } from '../../i18n/strings.js';

/** Asks before an action that cannot be undone (bin emptied, restart): a modal with two 48 px buttons. */
export function ConfirmDialog({ text, onYes, onNo, testId }: { text: string; onYes: () => void; onNo: () => void; testId: string }) {
  const t = useT();
  return (
    <div className="confirm-backdrop" role="dialog" aria-modal="true" data-testid={testId}>
      <div className="confirm-box">
        <p>{text}</p>
        <div className="panel-actions">
          <button className="button small primary" data-testid={`${testId}-yes`} onClick={onYes}>
            {t('maintenance.yes')}
          </button>
          <button className="button small" data-testid={`${testId}-no`} onClick={onNo}>
            {t('maintenance.dash.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}

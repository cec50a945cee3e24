import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

export function FinishedScreen() {
  const t = useT();
  const total = useKiosk((s) => s.session.totalPoints);
  return (
    <main className="screen finished" data-testid="finished-screen">
      <h1>{t('finished.thanks')}</h1>
      <div className="total" data-testid="finished-total">
        {t('finished.total')}: {total}
      </div>
      <button className="button primary" onClick={() => void callCore('session.start', { mode: 'qr' })}>
        {t('finished.again')}
      </button>
    </main>
  );
}

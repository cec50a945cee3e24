import { callCore } from '../client/client-ref.js';
import { ClaimPanel } from '../components/ClaimPanel.js';
import { Countdown } from '../components/Countdown.js';
import { LanguageToggle } from '../components/LanguageToggle.js';
import { MaterialCards } from '../components/MaterialCards.js';
import { OfflineNote } from '../components/OfflineNote.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** The end of a visit: what counted per material, the total, a guest's claim code or donation, and offline reassurance. */
export function FinishedScreen() {
  const t = useT();
  const total = useKiosk((s) => s.session.totalPoints);
  return (
    <main className="screen finished" data-testid="finished-screen">
      <header className="topbar">
        <h1 className="finished-title">{t('finished.thanks')}</h1>
        <LanguageToggle />
      </header>
      <section className="finished-summary">
        <h2 className="section-title">{t('finished.summary')}</h2>
        <MaterialCards tally availability={false} />
        <div className="total" data-testid="finished-total">
          {t('finished.total')}: {total}
        </div>
        <OfflineNote />
      </section>
      <ClaimPanel />
      <footer className="actions">
        <div className="row">
          <Countdown />
          <button className="button primary" data-testid="again-button" onClick={() => void callCore('session.start', { mode: 'qr' })}>
            {t('finished.again')}
          </button>
        </div>
      </footer>
    </main>
  );
}

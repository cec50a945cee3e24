import { callCore } from '../client/client-ref.js';
import { AvailabilityNotice } from '../components/AvailabilityNotice.js';
import { Countdown } from '../components/Countdown.js';
import { DemoInsertBar } from '../components/DemoInsertBar.js';
import { InsertCue } from '../components/InsertCue.js';
import { ItemList } from '../components/ItemList.js';
import { ItemResult } from '../components/ItemResult.js';
import { ItemSound } from '../components/ItemSound.js';
import { LanguageToggle } from '../components/LanguageToggle.js';
import { MaterialCards } from '../components/MaterialCards.js';
import { StillTherePrompt } from '../components/StillTherePrompt.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/**
 * Items go in one at a time. The main column says where to put them and shows the latest result; the side
 * shows what is taken with the recycler's running tally per material. Finish stays on screen at every size.
 */
export function SessionScreen() {
  const t = useT();
  const session = useKiosk((s) => s.session);
  const demo = useKiosk((s) => s.status?.demoMode ?? false);
  const accepted = session.items.filter((i) => i.accepted).length;
  return (
    <main className="screen session" data-testid="session-screen">
      <ItemSound />
      <header className="topbar">
        <div className="who">
          {session.userName ?? t('session.guest')}
          {session.balance !== null ? <span className="balance" data-testid="session-balance"> · {t('session.balance', { balance: session.balance })}</span> : null}
        </div>
        <div className="points" data-testid="session-points">
          {t('session.points')}: {session.totalPoints}
        </div>
        <LanguageToggle />
      </header>
      <AvailabilityNotice />
      <section className="session-main">
        <h1 className="session-title">{session.phase === 'processing' ? t('session.processing') : t('session.insert')}</h1>
        {session.phase === 'active' ? <InsertCue /> : null}
        <ItemResult />
        <ItemList />
      </section>
      <aside className="session-side">
        <h2 className="section-title">{t('session.tally')}</h2>
        <MaterialCards tally />
        <div className="count" data-testid="items-accepted">
          {t('session.items')}: {accepted}
        </div>
      </aside>
      <footer className="actions">
        {demo ? <DemoInsertBar disabled={session.phase !== 'active'} /> : null}
        <div className="row">
          <Countdown />
          <button className="button primary" data-testid="finish-button" disabled={session.phase === 'processing'} onClick={() => void callCore('session.finish', {})}>
            {t('session.finish')}
          </button>
        </div>
      </footer>
      <StillTherePrompt />
    </main>
  );
}

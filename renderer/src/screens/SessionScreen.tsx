import { callCore } from '../client/client-ref.js';
import { Countdown } from '../components/Countdown.js';
import { DemoInsertBar } from '../components/DemoInsertBar.js';
import { ItemList } from '../components/ItemList.js';
import { ItemSound } from '../components/ItemSound.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** Items go in one at a time; each shows accepted (with points) or rejected (with the reason). */
export function SessionScreen() {
  const t = useT();
  const session = useKiosk((s) => s.session);
  const demo = useKiosk((s) => s.status?.demoMode ?? false);
  const last = session.items.at(-1);
  const accepted = session.items.filter((i) => i.accepted).length;
  return (
    <main className="screen session" data-testid="session-screen">
      <ItemSound />
      <header className="topbar">
        <div className="who">{session.userName ?? t('session.guest')}</div>
        <div className="points" data-testid="session-points">
          {t('session.points')}: {session.totalPoints}
        </div>
      </header>
      <h1>{session.phase === 'processing' ? t('session.processing') : t('session.insert')}</h1>
      {last ? (
        <div className={`last-item ${last.accepted ? 'ok' : 'bad'}`} data-testid="last-item">
          {last.accepted
            ? `${t('session.accepted')}: ${t(`material.${last.material}`)} +${last.points}`
            : `${t('session.rejected')}: ${t(`reject.${last.rejectReason ?? 'detector_error'}`)}`}
        </div>
      ) : null}
      <ItemList />
      <div className="count" data-testid="items-accepted">
        {t('session.items')}: {accepted}
      </div>
      <Countdown />
      {demo ? <DemoInsertBar disabled={session.phase !== 'active'} /> : null}
      <div className="row">
        <button className="button primary" data-testid="finish-button" disabled={session.phase === 'processing'} onClick={() => void callCore('session.finish', {})}>
          {t('session.finish')}
        </button>
      </div>
    </main>
  );
}

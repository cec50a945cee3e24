import { callCore } from '../client/client-ref.js';
import { ClockPanel } from '../components/ClockPanel.js';
import { LanguageToggle } from '../components/LanguageToggle.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** The idle screen: clock, what the machine does, one big start button. */
export function AttractScreen({ onTechnician }: { onTechnician: () => void }) {
  const t = useT();
  const state = useKiosk((s) => s.status?.state);
  const canStart = state === 'ready';
  return (
    <main className="screen attract" data-testid="attract-screen">
      <header className="topbar">
        <StatusBadge />
        <LanguageToggle />
      </header>
      <ClockPanel />
      <h1 className="headline">{t('attract.headline')}</h1>
      <button className="button primary huge" data-testid="start-button" disabled={!canStart} onClick={() => void callCore('session.start', { mode: 'qr' })}>
        {t('attract.start')}
      </button>
      <button className="button corner" data-testid="technician-button" onClick={onTechnician}>
        {t('maintenance.open')}
      </button>
    </main>
  );
}

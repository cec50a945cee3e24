import { callCore } from '../client/client-ref.js';
import { AvailabilityNotice } from '../components/AvailabilityNotice.js';
import { ClockPanel } from '../components/ClockPanel.js';
import { LanguageToggle } from '../components/LanguageToggle.js';
import { MaterialCards } from '../components/MaterialCards.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/**
 * The idle screen: clock, what the machine takes (icons, and in words what is refused right now), one big
 * start button. No technician button: the technician enters by a long press on a corner (App.tsx).
 * `onTechnician` is accepted and ignored so an older App.tsx still compiles.
 */
export function AttractScreen(_props: { onTechnician?: () => void } = {}) {
  const t = useT();
  const state = useKiosk((s) => s.status?.state);
  const canStart = state === 'ready';
  return (
    <main className="screen attract" data-testid="attract-screen">
      <header className="topbar">
        <StatusBadge />
        <LanguageToggle />
      </header>
      <section className="attract-hero">
        <ClockPanel />
        <h1 className="headline">{t('attract.headline')}</h1>
      </section>
      <section className="attract-materials">
        <h2 className="section-title">{t('attract.accepted')}</h2>
        <MaterialCards />
        <AvailabilityNotice />
      </section>
      <footer className="actions">
        <button className="button primary huge" data-testid="start-button" disabled={!canStart} onClick={() => void callCore('session.start', { mode: 'qr' })}>
          {t('attract.start')}
        </button>
      </footer>
    </main>
  );
}

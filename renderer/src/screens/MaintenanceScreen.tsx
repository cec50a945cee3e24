import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { HardwarePanel } from './maintenance/HardwarePanel.js';

/** Technician mode: one panel per part of the machine, each with its own tests and tools. */
export function MaintenanceScreen() {
  const t = useT();
  return (
    <main className="screen maintenance" data-testid="maintenance-screen">
      <header className="topbar">
        <h1>{t('maintenance.title')}</h1>
        <button className="button" data-testid="maintenance-exit" onClick={() => void callCore('maintenance.exit', {})}>
          {t('maintenance.exit')}
        </button>
      </header>
      <div className="panels">
        <HardwarePanel />
      </div>
    </main>
  );
}

import { callCore } from '../../client/client-ref.js';
import { LanguageToggle } from '../../components/LanguageToggle.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { useMachineNow } from './hooks.js';
import { formatDuration } from './zone-time.js';

/** The last minute before the inactivity exit is shown in warning colour, so a technician taps to stay. */
const WARN_MS = 60_000;

/** Who is in maintenance mode, when it ends by itself, and the way out. */
export function MaintenanceHeader() {
  const t = useT();
  const maintenance = useKiosk((s) => s.maintenance);
  const now = useMachineNow();
  const left = maintenance?.autoExitAt ? maintenance.autoExitAt - now : null;

  return (
    <header className="maintenance-header">
      <h1>{t('maintenance.title')}</h1>
      <span className="maintenance-who" data-testid="maintenance-technician">
        {t('maintenance.technician', { name: maintenance?.technicianName ?? '—' })}
      </span>
      {left !== null ? (
        <span className={left <= WARN_MS ? 'maintenance-countdown bad-text' : 'maintenance-countdown'} data-testid="maintenance-auto-exit">
          {t('maintenance.autoExit', { time: formatDuration(left) })}
        </span>
      ) : null}
      <span className="maintenance-spacer" />
      <LanguageToggle />
      <button className="button" data-testid="maintenance-exit" onClick={() => void callCore('maintenance.exit', {})}>
        {t('maintenance.exit')}
      </button>
    </header>
  );
}

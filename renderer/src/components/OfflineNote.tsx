import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** While the server link is down: credits are safe in the outbox and go out when it is back. */
export function OfflineNote() {
  const t = useT();
  const offline = useKiosk((s) => s.server !== null && s.server.link !== 'online');
  if (!offline) return null;
  return (
    <p className="offline-note" role="status" data-testid="offline-note">
      {t('finished.offline')}
    </p>
  );
}

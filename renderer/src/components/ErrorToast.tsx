import { useEffect } from 'react';
import { useT } from '../i18n/strings.js';
import { kioskStore, useKiosk } from '../store/store.js';

const SHOW_MS = 6_000;

/** The last refused command, in words (its code translated), for a few seconds: a tap that did nothing must say why. */
export function ErrorToast() {
  const t = useT();
  const error = useKiosk((s) => s.lastError);
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => kioskStore.getState().setError(null), SHOW_MS);
    return () => clearTimeout(timer);
  }, [error]);
  if (!error) return null;
  return (
    <div className="toast" role="alert" data-testid="error-toast">
      {t(`error.${error}`)}
    </div>
  );
}

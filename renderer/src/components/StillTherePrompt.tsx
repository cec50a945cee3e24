import { useEffect, useState } from 'react';
import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/**
 * "Are you still there?": covers the session screen once `session.promptAt` has passed, with the seconds
 * left and one large Continue (`session.continue` moves the idle deadline on). Ending keeps every credit.
 */
export function StillTherePrompt() {
  const t = useT();
  const promptAt = useKiosk((s) => (s.session.phase === 'active' ? s.session.promptAt : null));
  const deadline = useKiosk((s) => s.session.deadline);
  const now = useNow(promptAt !== null);
  if (promptAt === null || now < promptAt) return null;
  const seconds = deadline ? Math.max(0, Math.ceil((deadline - now) / 1000)) : 0;
  return (
    <div className="overlay still-there" role="alertdialog" aria-modal="true" aria-labelledby="still-there-title" data-testid="still-there">
      <h1 id="still-there-title">{t('prompt.title')}</h1>
      <p className="prompt-body" data-testid="still-there-seconds">
        {t('prompt.body', { seconds })}
      </p>
      <button className="button primary huge" data-testid="continue-button" onClick={() => void callCore('session.continue', {})}>
        {t('prompt.continue')}
      </button>
      <button className="button" data-testid="prompt-finish-button" onClick={() => void callCore('session.finish', {})}>
        {t('prompt.finish')}
      </button>
    </div>
  );
}

/** The current time, re-read four times a second while `active` (the prompt appears on its own, no event). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

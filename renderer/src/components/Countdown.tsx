import { useEffect, useState } from 'react';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** Seconds left before the current waiting phase times out, so nobody is surprised by a reset. */
export function Countdown() {
  const t = useT();
  const deadline = useKiosk((s) => s.session.deadline);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!deadline) return null;
  const seconds = Math.max(0, Math.ceil((deadline - now) / 1000));
  return <div className="countdown">{t('session.timeoutIn', { seconds })}</div>;
}

import { useEffect, useState } from 'react';
import { callCore } from '../client/client-ref.js';
import { Countdown } from '../components/Countdown.js';
import { LanguageToggle } from '../components/LanguageToggle.js';
import { QrCodeImage } from '../components/QrCodeImage.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** How long "preparing the code" may show before the screen says the app login is unavailable. */
const QR_PATIENCE_MS = 5_000;

/**
 * QR login for the MyRVM app, or carry on as a guest. With the server unreachable (or no code after a few
 * seconds) the code's place says so in words and points to the guest path, which keeps the points claimable.
 */
export function LoginScreen() {
  const t = useT();
  const qr = useKiosk((s) => s.session.qr);
  const serverDown = useKiosk((s) => s.server !== null && s.server.link !== 'online' && s.server.link !== 'connecting');
  const demo = useKiosk((s) => s.status?.demoMode ?? false);
  const waitedLong = useWaitedLong(qr === null);
  const unavailable = !qr && (serverDown || waitedLong);

  return (
    <main className="screen login" data-testid="login-screen">
      <header className="topbar">
        <h1 className="login-title">{t('login.scan')}</h1>
        <LanguageToggle />
      </header>
      <section className="login-code">
        <div className="qr-box">
          {unavailable ? (
            <div className="qr-unavailable" role="status" data-testid="login-unavailable">
              <p className="qr-unavailable-title">{t('login.unavailable')}</p>
              <p>{t('login.unavailableHint')}</p>
            </div>
          ) : (
            <QrCodeImage content={qr?.content ?? null} label={t('login.qrLabel')} testId="login-qr" fallback={<div className="qr-waiting" data-testid="login-preparing">{t('login.preparing')}</div>} />
          )}
        </div>
      </section>
      <footer className="actions">
        <div className="row">
          <button className="button primary" data-testid="guest-button" onClick={() => void callCore('session.start', { mode: 'guest' })}>
            {t('login.guest')}
          </button>
          <button className="button" data-testid="cancel-button" onClick={() => void callCore('session.cancel', {})}>
            {t('session.cancel')}
          </button>
          {demo ? <DemoPhoneButton /> : null}
        </div>
        <Countdown />
      </footer>
    </main>
  );
}

function useWaitedLong(waiting: boolean): boolean {
  const [long, setLong] = useState(false);
  useEffect(() => {
    setLong(false);
    if (!waiting) return;
    const timer = setTimeout(() => setLong(true), QR_PATIENCE_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  return long;
}

function DemoPhoneButton() {
  const t = useT();
  return (
    <button className="button demo" data-testid="demo-phone-login" onClick={() => void callCore('server.simulatePhoneLogin', {})}>
      {t('login.demoPhone')}
    </button>
  );
}

import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { callCore } from '../client/client-ref.js';
import { Countdown } from '../components/Countdown.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/** QR login for the MyRVM app, or carry on as a guest. */
export function LoginScreen() {
  const t = useT();
  const qr = useKiosk((s) => s.session.qr);
  const demo = useKiosk((s) => s.status?.demoMode ?? false);
  const [image, setImage] = useState<string | null>(null);

  useEffect(() => {
    if (!qr) return setImage(null);
    let live = true;
    QRCode.toDataURL(qr.content, { margin: 1, width: 320, errorCorrectionLevel: 'M' })
      .then((url) => live && setImage(url))
      .catch(() => live && setImage(null));
    return () => {
      live = false;
    };
  }, [qr?.content]);

  return (
    <main className="screen login" data-testid="login-screen">
      <h1>{t('login.scan')}</h1>
      <div className="qr">{image ? <img data-testid="login-qr" src={image} alt="QR" /> : <div className="qr-placeholder" />}</div>
      <Countdown />
      <div className="row">
        <button className="button primary" data-testid="guest-button" onClick={() => void callCore('session.start', { mode: 'guest' })}>
          {t('login.guest')}
        </button>
        <button className="button" data-testid="cancel-button" onClick={() => void callCore('session.cancel', {})}>
          {t('session.cancel')}
        </button>
      </div>
      {demo ? <DemoPhoneButton /> : null}
    </main>
  );
}

function DemoPhoneButton() {
  const t = useT();
  return (
    <button className="button demo" data-testid="demo-phone-login" onClick={() => void callCore('server.simulatePhoneLogin', {})}>
      {t('login.demoPhone')}
    </button>
  );
}

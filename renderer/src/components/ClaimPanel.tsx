import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { QrCodeImage } from './QrCodeImage.js';

/**
 * A guest's points: a claim code as a QR (its `claimUrl`; the MyRVM app claims them later) with the code in text, or a
 * donation instead. Once donated, a thank-you replaces the code. Nothing shows without a claim code.
 */
export function ClaimPanel() {
  const t = useT();
  const claimCode = useKiosk((s) => (s.session.mode === 'guest' ? s.session.claimCode : null));
  const claimUrl = useKiosk((s) => s.session.claimUrl);
  const donated = useKiosk((s) => s.session.donated);
  const points = useKiosk((s) => s.session.totalPoints);
  if (!claimCode || points === 0) return null;
  if (donated) {
    return (
      <section className="claim donated" data-testid="claim-donated">
        <p className="claim-thanks">{t('finished.donated')}</p>
      </section>
    );
  }
  return (
    <section className="claim" data-testid="claim-panel">
      <h2 className="section-title">{t('finished.claimTitle')}</h2>
      <div className="qr-box">
        <QrCodeImage content={claimUrl ?? claimCode} label={t('finished.claimQr')} testId="claim-qr" fallback={<div className="qr-waiting">{t('finished.claimCodeOnly')}</div>} />
      </div>
      <p className="claim-hint">{t('finished.claimHint')}</p>
      <p className="claim-code" data-testid="claim-code">
        {t('finished.claimCode', { code: claimCode })}
      </p>
      <button className="button" data-testid="donate-button" onClick={() => void callCore('session.donate', {})}>
        {t('finished.donate')}
      </button>
    </section>
  );
}

import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { availabilitySentence } from './materials.js';

/** "Kaca sedang penuh — botol plastik dan kaleng tetap diterima": shown only while some material is refused. */
export function AvailabilityNotice() {
  const t = useT();
  const materials = useKiosk((s) => s.status?.materials);
  const sentence = availabilitySentence(materials, t);
  if (!sentence) return null;
  return (
    <div className="availability-notice" role="status" data-testid="availability-notice">
      {sentence}
    </div>
  );
}

import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { kioskStore, useKiosk } from '../store/store.js';

/** Switches between Bahasa Indonesia and English; the core remembers it for every screen. */
export function LanguageToggle() {
  const language = useKiosk((s) => s.language);
  const t = useT();
  const next = language === 'id' ? 'en' : 'id';
  const toggle = () => {
    kioskStore.getState().setLanguage(next); // answer the touch at once; the core's event confirms it
    void callCore('system.setLanguage', { language: next });
  };
  return (
    <button className="button language" data-testid="language-toggle" onClick={toggle}>
      {t('language.toggle')}
    </button>
  );
}

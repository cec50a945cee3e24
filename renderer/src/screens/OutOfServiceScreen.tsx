import { LanguageToggle } from '../components/LanguageToggle.js';
import { MaterialCards } from '../components/MaterialCards.js';
import { materialIds } from '../components/materials.js';
import { hasString, useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

/**
 * The machine cannot take anything: why, in words (each status reason code translated; the core's English
 * `detail` is for technicians and never shown here), which materials are refused and why when bins are the
 * cause, and what the recycler can do instead.
 */
export function OutOfServiceScreen() {
  const t = useT();
  const language = useKiosk((s) => s.language);
  const reasons = useKiosk((s) => s.status?.reasons ?? []);
  const machineName = useKiosk((s) => s.status?.machineName ?? '');
  const someRefused = useKiosk((s) => materialIds.some((id) => s.status?.materials?.[id]?.accepting === false));
  const words = [...new Set(reasons.map((r) => (hasString(language, `reason.${r.code}`) ? t(`reason.${r.code}`) : t('reason.unknown'))))];
  return (
    <main className="screen out-of-service" data-testid="out-of-service-screen">
      <header className="topbar">
        <span />
        <LanguageToggle />
      </header>
      <section className="oos-body">
        <svg className="oos-icon" viewBox="0 0 64 64" aria-hidden="true">
          <path d="M32 6 60 56H4z" fill="#f2c14e" stroke="#0f3d2e" strokeWidth="3" strokeLinejoin="round" />
          <path d="M32 24v16" stroke="#0f3d2e" strokeWidth="6" strokeLinecap="round" />
          <circle cx="32" cy="48" r="3.5" fill="#0f3d2e" />
        </svg>
        <h1 className="oos-title">{t('outOfService.title')}</h1>
        {words.length > 0 ? (
          <ul className="oos-reasons" data-testid="out-of-service-reasons">
            {words.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        ) : null}
        {someRefused ? <MaterialCards /> : null}
        <p className="oos-todo" data-testid="out-of-service-todo">{t('outOfService.whatToDo')}</p>
        {machineName ? <p className="oos-machine">{t('outOfService.machine', { name: machineName })}</p> : null}
      </section>
    </main>
  );
}

import { useT } from '../i18n/strings.js';

/** "Insert here" with an arrow towards the intake (below the screen), gently moving so the eye finds it. */
export function InsertCue() {
  const t = useT();
  return (
    <div className="insert-cue" data-testid="insert-cue">
      <svg className="insert-arrow" viewBox="0 0 48 48" aria-hidden="true">
        <path d="M24 6v30M12 26l12 12 12-12" fill="none" stroke="currentColor" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>{t('session.insertHere')}</span>
    </div>
  );
}

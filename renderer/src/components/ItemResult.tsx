import { useEffect, useState } from 'react';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { MaterialIcon } from './MaterialIcon.js';
import { materialName, outcomeText } from './outcome-text.js';

/**
 * A handed-back item's "take your item back" stays at least this long, even where the machine's return path
 * clears the intake beam at once (the simulator's reject chute does): a message that flashes is not read.
 */
export const TAKE_BACK_MIN_MS = 4_000;

/**
 * The latest item's result, large: its material icon, what happened in words and the points. A handed-back
 * item says "take your item back" while the intake sensor still sees it, and for at least TAKE_BACK_MIN_MS.
 */
export function ItemResult() {
  const t = useT();
  const language = useKiosk((s) => s.language);
  const last = useKiosk((s) => s.session.items.at(-1));
  const itemPresent = useKiosk((s) => s.itemPresent);
  const fresh = useFreshFor(last?.returned ? last.id : null, TAKE_BACK_MIN_MS);
  if (!last) return null;
  const name = materialName(language, last.material);
  const text = last.accepted ? (name ?? outcomeText(language, last)) : outcomeText(language, last);
  const takeBack = last.returned && (itemPresent === true || fresh);
  return (
    <section className={`item-result ${last.accepted ? 'ok' : 'bad'}`} data-testid="last-item" data-outcome={last.outcome} aria-live="polite">
      <MaterialIcon material={last.material} className="result-icon" />
      <div className="result-body">
        <div className="result-verdict">{t(last.accepted ? 'session.accepted' : 'session.rejected')}</div>
        <div className="result-text" data-testid="last-item-text">{text}</div>
        {takeBack ? (
          <div className="take-back" role="alert" data-testid="take-back">
            {t('session.takeBack')}
          </div>
        ) : null}
      </div>
      {last.accepted ? (
        <div className="result-points" data-testid="last-item-points">
          +{last.points}
        </div>
      ) : null}
    </section>
  );
}

/** True for `ms` after `key` changes to a non-null value (a new handed-back item), then false. */
function useFreshFor(key: string | null, ms: number): boolean {
  const [freshKey, setFreshKey] = useState<string | null>(null);
  useEffect(() => {
    setFreshKey(key);
    if (key === null) return;
    const timer = setTimeout(() => setFreshKey(null), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return key !== null && freshKey === key;
}

import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { MaterialIcon } from './MaterialIcon.js';
import { availabilityOf, materialIds } from './materials.js';

/**
 * What the machine takes, one card per material with its icon and whether it is taken right now; in a
 * session each card also counts the recycler's items of that material and their points (the running tally).
 */
export function MaterialCards({ tally = false, availability: showAvailability = true }: { tally?: boolean; availability?: boolean }) {
  const t = useT();
  const materials = useKiosk((s) => s.status?.materials);
  const items = useKiosk((s) => s.session.items);
  return (
    <ul className="material-cards" data-testid={tally ? 'material-tally' : 'accepted-materials'} aria-label={t(tally ? 'session.tally' : 'attract.accepted')}>
      {materialIds.map((id) => {
        const availability = availabilityOf(materials, id);
        const mine = items.filter((item) => item.accepted && item.material === id);
        const points = mine.reduce((sum, item) => sum + item.points, 0);
        return (
          <li key={id} className={`material-card ${availability.accepting || !showAvailability ? 'on' : 'off'}`} data-testid={`material-${id}`} data-accepting={availability.accepting}>
            <MaterialIcon material={id} />
            <div className="material-text">
              <div className="material-name">{t(`material.${id}`)}</div>
              {tally ? (
                <div className="material-count" data-testid={`tally-${id}`}>
                  {t(mine.length === 1 ? 'session.count.one' : 'session.count.other', { count: mine.length })} · {t('session.pointsShort', { points })}
                </div>
              ) : null}
              {showAvailability && !availability.accepting ? <div className="material-state">{t(`availability.state.${availability.reason ?? 'unknown'}`)}</div> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

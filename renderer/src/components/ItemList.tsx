import { useKiosk } from '../store/store.js';
import { MaterialIcon } from './MaterialIcon.js';
import { materialName, outcomeText } from './outcome-text.js';

const SHOWN = 3;

/** The items before the latest one, newest first: what counted, and why anything did not. */
export function ItemList() {
  const language = useKiosk((s) => s.language);
  const items = useKiosk((s) => s.session.items);
  if (items.length < 2) return null;
  return (
    <ol className="item-list" data-testid="item-list">
      {items
        .slice(0, -1)
        .slice(-SHOWN)
        .reverse()
        .map((item) => (
          <li key={item.id} className={item.accepted ? 'ok' : 'bad'}>
            <MaterialIcon material={item.material} className="list-icon" />
            <span>{item.accepted ? `${materialName(language, item.material) ?? ''} +${item.points}` : outcomeText(language, item)}</span>
          </li>
        ))}
    </ol>
  );
}

import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';

const SHOWN = 5;

/** The session's latest items, newest first: what counted, and why anything did not. */
export function ItemList() {
  const t = useT();
  const items = useKiosk((s) => s.session.items);
  if (items.length < 2) return null;
  return (
    <ol className="item-list" data-testid="item-list">
      {items
        .slice(-SHOWN)
        .reverse()
        .map((item) => (
          <li key={item.id} className={item.accepted ? 'ok' : 'bad'}>
            {item.accepted ? `${t(`material.${item.material}`)} +${item.points}` : t(`reject.${item.rejectReason ?? 'detector_error'}`)}
          </li>
        ))}
    </ol>
  );
}

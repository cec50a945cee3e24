import { useEffect, useRef } from 'react';
import accepted from '../../../assets/sounds/accepted.wav';
import rejected from '../../../assets/sounds/rejected.wav';
import { useKiosk } from '../store/store.js';

/** A short sound for each item's verdict: recyclers look at the intake, not the screen. */
export function ItemSound() {
  const items = useKiosk((s) => s.session.items);
  const heard = useRef(items.length);
  useEffect(() => {
    if (items.length > heard.current) {
      const last = items[items.length - 1]!;
      new Audio(last.accepted ? accepted : rejected).play().catch(() => undefined); // no audio device: stay silent
    }
    heard.current = items.length;
  }, [items]);
  return null;
}

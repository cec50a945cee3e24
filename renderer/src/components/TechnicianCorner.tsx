import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { useT } from '../i18n/strings.js';
import '../screens/technician.css';

/** How long a finger must stay on the corner: long enough that no passer-by does it by chance. */
export const LONG_PRESS_MS = 3_000;

const RING_RADIUS = 18;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;

/**
 * The technician's way in: an unmarked square in the top-left corner that opens the PIN pad after a long
 * press. A tap, a brush or a finger that slides off does nothing; while the finger stays, a faint ring fills
 * so a technician knows it is working. There is no visible button, so a recycler is never invited to try.
 */
export function TechnicianCorner({ onOpen, holdMs = LONG_PRESS_MS }: { onOpen: () => void; holdMs?: number }) {
  const t = useT();
  const [holding, setHolding] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;

  const cancel = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    setHolding(false);
  };
  useEffect(() => cancel, []);

  const start = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault(); // no text selection or long-press menu on touch
    if (timer.current !== null) return; // a second finger does not restart the count
    setHolding(true);
    timer.current = setTimeout(() => {
      timer.current = null;
      setHolding(false);
      open.current();
    }, holdMs);
  };

  return (
    <div
      className="technician-corner"
      data-testid="technician-corner"
      data-holding={holding ? 'true' : 'false'}
      role="button"
      aria-label={t('maintenance.corner')}
      onPointerDown={start}
      onPointerUp={cancel}
      onPointerCancel={cancel}
      onPointerLeave={cancel}
      onContextMenu={(event) => event.preventDefault()}
    >
      {holding ? (
        <svg className="technician-ring" data-testid="technician-ring" viewBox="0 0 48 48" aria-hidden="true">
          <circle cx="24" cy="24" r={RING_RADIUS} className="technician-ring-track" />
          <circle cx="24" cy="24" r={RING_RADIUS} className="technician-ring-fill" strokeDasharray={RING_LENGTH} strokeDashoffset={RING_LENGTH} transform="rotate(-90 24 24)">
            <animate attributeName="stroke-dashoffset" from={RING_LENGTH} to="0" dur={`${holdMs}ms`} fill="freeze" />
          </circle>
        </svg>
      ) : null}
    </div>
  );
}

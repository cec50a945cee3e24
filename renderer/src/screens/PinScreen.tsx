import { useEffect, useReducer, useRef, useState } from 'react';
import type { ReplyOf } from '../../../src/contract/index.js';
import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { useMachineNow } from './maintenance/hooks.js';
import { formatAt, formatDuration } from './maintenance/zone-time.js';
import './technician.css';

/** Without a key press for this long the pad gives the screen back to recyclers (attract). */
export const PIN_IDLE_MS = 30_000;

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

type Outcome = { kind: 'checking' } | { kind: 'no_reply' } | ReplyOf<'maintenance.enter'>;

/**
 * Technician PIN pad: 6 digits, masked. The core enforces the lockout; this screen only explains it and
 * keeps the keys off until the wait's end (from the reply, or from `maintenance.state` after a restart).
 * Left alone for `idleMs` it closes, so a machine never stays on the pad for the next recycler.
 */
export function PinScreen({ onClose, idleMs = PIN_IDLE_MS }: { onClose: () => void; idleMs?: number }) {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const stateLockedUntil = useKiosk((s) => s.maintenance?.lockedUntil ?? null);
  const lastError = useKiosk((s) => s.lastError);
  const now = useMachineNow();
  const [pin, setPin] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [touches, touched] = useReducer((n: number) => n + 1, 0);
  const close = useRef(onClose);
  close.current = onClose;
  // Every press on the pad starts the idle time over; the timer lives on the device's own clock.
  useEffect(() => {
    const timer = setTimeout(() => close.current(), idleMs);
    return () => clearTimeout(timer);
  }, [touches, idleMs]);

  // A wrong PIN that uses up the last attempt comes back as wrong_pin with lockedUntil set.
  const replyLockedUntil = outcome && 'ok' in outcome ? (outcome.lockedUntil ?? null) : null;
  const lockedUntil = Math.max(stateLockedUntil ?? 0, replyLockedUntil ?? 0);
  const locked = lockedUntil > now;
  const checking = outcome !== null && 'kind' in outcome && outcome.kind === 'checking';

  const submit = async () => {
    setOutcome({ kind: 'checking' });
    const reply = await callCore('maintenance.enter', { pin });
    setPin('');
    if (reply?.ok) return onClose();
    setOutcome(reply ?? { kind: 'no_reply' });
  };

  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') return setPin('');
    if (key === 'ok') return void (pin.length === 6 && submit());
    if (pin.length < 6) setPin(pin + key);
  };

  const message = locked
    ? t('maintenance.lockedFor', { duration: formatDuration(lockedUntil - now), time: formatAt(lockedUntil, now, timeZone) })
    : outcome
      ? describe(outcome, t, lastError)
      : null;

  return (
    <main className="screen pin" data-testid="pin-screen" data-locked={locked ? 'true' : 'false'} onPointerDownCapture={touched}>
      <div className="pin-layout">
        <div className="pin-side">
          <h1>{t('maintenance.enterPin')}</h1>
          <div className="pin-hint">{t('maintenance.pinHint')}</div>
          <div className="pin-dots" data-testid="pin-dots" aria-label={t('maintenance.pinTyped', { count: pin.length })}>
            {'●'.repeat(pin.length).padEnd(6, '○')}
          </div>
          {message ? (
            <div className={locked ? 'pin-message locked' : 'pin-message'} data-testid="pin-message" role="alert">
              {message}
            </div>
          ) : null}
          <button className="button" data-testid="pin-back" onClick={onClose}>
            {t('common.back')}
          </button>
        </div>
        <div className="pin-keys" data-testid="pin-keys">
          {KEYS.map((key) => (
            <button
              key={key}
              className={key === 'clear' || key === 'ok' ? 'button pin-key pin-key-word' : 'button pin-key'}
              data-testid={`pin-${key}`}
              disabled={locked || checking || (key === 'ok' && pin.length !== 6)}
              onClick={() => press(key)}
            >
              {key === 'clear' ? t('common.clear') : key === 'ok' ? t('common.ok') : key}
            </button>
          ))}
        </div>
      </div>
    </main>
  );
}

/** The reply (other than a live lock, shown with its countdown) as a sentence for the technician. */
function describe(outcome: Outcome, t: ReturnType<typeof useT>, lastError: string | null): string | null {
  if ('kind' in outcome) {
    if (outcome.kind === 'checking') return t('maintenance.checking');
    return lastError ? `${t('maintenance.noReply')} (${t(`error.${lastError}`)})` : t('maintenance.noReply');
  }
  switch (outcome.error) {
    case 'wrong_pin': {
      if (outcome.remainingAttempts === undefined) return outcome.message ? `${t('maintenance.wrongPin')} (${outcome.message})` : t('maintenance.wrongPin');
      return `${t('maintenance.wrongPin')} · ${t('maintenance.remaining', { count: outcome.remainingAttempts })}`;
    }
    case 'unavailable':
      return outcome.message ? `${t('maintenance.unavailable')} (${outcome.message})` : t('maintenance.unavailable');
    case 'locked':
      // The lock has run out since: the keypad is open again.
      return null;
    default:
      return outcome.message ?? null;
  }
}

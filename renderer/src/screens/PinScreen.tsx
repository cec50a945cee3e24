import { useState } from 'react';
import type { ReplyOf } from '../../../src/contract/index.js';
import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { useMachineNow } from './maintenance/hooks.js';
import { formatAt, formatDuration } from './maintenance/zone-time.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

type Outcome = { kind: 'checking' } | { kind: 'no_reply' } | ReplyOf<'maintenance.enter'>;

/**
 * Technician PIN pad: 6 digits, masked. The core enforces the lockout; this screen only explains it and
 * keeps the keys off until the lock's end (from the reply, or from `maintenance.state` after a restart).
 */
export function PinScreen({ onClose }: { onClose: () => void }) {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const stateLockedUntil = useKiosk((s) => s.maintenance?.lockedUntil ?? null);
  const lastError = useKiosk((s) => s.lastError);
  const now = useMachineNow();
  const [pin, setPin] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);

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
    <main className="screen pin" data-testid="pin-screen" data-locked={locked ? 'true' : 'false'}>
      <h1>{t('maintenance.enterPin')}</h1>
      <div className="pin-hint">{t('maintenance.pinHint')}</div>
      <div className="pin-dots" data-testid="pin-dots">{'●'.repeat(pin.length).padEnd(6, '○')}</div>
      {message ? (
        <div className={locked ? 'pin-message locked' : 'pin-message'} data-testid="pin-message" role="alert">
          {message}
        </div>
      ) : null}
      <div className="pinpad">
        {KEYS.map((key) => (
          <button
            key={key}
            className={key === 'clear' || key === 'ok' ? 'button key key-word' : 'button key'}
            data-testid={`pin-${key}`}
            disabled={locked || checking || (key === 'ok' && pin.length !== 6)}
            onClick={() => press(key)}
          >
            {key === 'clear' ? t('common.clear') : key === 'ok' ? t('common.ok') : key}
          </button>
        ))}
      </div>
      <button className="button" data-testid="pin-back" onClick={onClose}>
        {t('common.back')}
      </button>
    </main>
  );
}

/** The reply (other than a live lock, shown with its countdown) as a sentence for the technician. */
function describe(outcome: Outcome, t: ReturnType<typeof useT>, lastError: string | null): string | null {
  if ('kind' in outcome) {
    if (outcome.kind === 'checking') return t('maintenance.checking');
    return lastError ? `${t('maintenance.noReply')} (${lastError})` : t('maintenance.noReply');
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

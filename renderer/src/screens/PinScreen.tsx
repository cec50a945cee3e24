import { useState } from 'react';
import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

/** Technician PIN pad: 6 digits, masked; lockout is enforced by the core, not here. */
export function PinScreen({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const submit = async () => {
    const reply = await callCore('maintenance.enter', { pin });
    setPin('');
    if (!reply) return setMessage(t('maintenance.wrongPin'));
    if (reply.ok) return onClose();
    if (reply.lockedUntil) setMessage(t('maintenance.locked', { time: new Date(reply.lockedUntil).toLocaleTimeString() }));
    else setMessage(`${t('maintenance.wrongPin')} · ${t('maintenance.remaining', { count: reply.remainingAttempts ?? 0 })}`);
  };

  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') return setPin('');
    if (key === 'ok') return void (pin.length === 6 && submit());
    if (pin.length < 6) setPin(pin + key);
  };

  return (
    <main className="screen pin" data-testid="pin-screen">
      <h1>{t('maintenance.enterPin')}</h1>
      <div className="pin-dots" data-testid="pin-dots">{'●'.repeat(pin.length).padEnd(6, '○')}</div>
      {message ? <div className="pin-message" data-testid="pin-message">{message}</div> : null}
      <div className="pinpad">
        {KEYS.map((key) => (
          <button key={key} className="button key" data-testid={`pin-${key}`} onClick={() => press(key)}>
            {key === 'clear' ? t('common.clear') : key === 'ok' ? t('common.ok') : key}
          </button>
        ))}
      </div>
      <button className="button" onClick={onClose}>{t('common.back')}</button>
    </main>
  );
}

import { useState } from 'react';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

/**
 * The installer's own 6-digit PIN, typed twice (a typo here would lock the installer out of maintenance on a
 * machine that has never reached the server). The core keeps only a salted slow hash of it.
 */
export function PinStep() {
  const t = useT();
  const pinSet = useKiosk((s) => s.setup?.installerPin ?? false);
  const [first, setFirst] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<'mismatch' | 'failed' | 'saved' | null>(pinSet ? 'saved' : null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (first === null) {
      setFirst(pin);
      setPin('');
      setMessage(null);
      return;
    }
    if (pin !== first) {
      setFirst(null);
      setPin('');
      setMessage('mismatch');
      return;
    }
    setSaving(true);
    const reply = await callCore('setup.setInstallerPin', { pin });
    setSaving(false);
    setFirst(null);
    setPin('');
    setMessage(reply?.ok ? 'saved' : 'failed');
  };

  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') return setPin('');
    if (key === 'ok') return void (pin.length === 6 && submit());
    if (pin.length < 6) setPin(pin + key);
  };

  return (
    <div className="setup-step setup-pin" data-testid="setup-pin">
      <div className="setup-pin-side">
        <div className="setup-line">{first === null ? t('setup.pin.enter') : t('setup.pin.repeat')}</div>
        <div className="setup-pin-dots" data-testid="setup-pin-dots" aria-label={t('setup.pin.typed', { count: pin.length })}>
          {'●'.repeat(pin.length).padEnd(6, '○')}
        </div>
        {message ? (
          <div className={message === 'saved' ? 'setup-result setup-good' : 'setup-result setup-bad'} role="status" data-testid="setup-pin-message" data-message={message}>
            {t(`setup.pin.${message}`)}
          </div>
        ) : null}
      </div>
      <div className="setup-pin-keys">
        {KEYS.map((key) => (
          <button
            key={key}
            className="button setup-pin-key"
            data-testid={`setup-pin-${key}`}
            disabled={saving || (key === 'ok' && pin.length !== 6)}
            onClick={() => press(key)}
          >
            {key === 'clear' ? t('common.clear') : key === 'ok' ? t('common.ok') : key}
          </button>
        ))}
      </div>
    </div>
  );
}

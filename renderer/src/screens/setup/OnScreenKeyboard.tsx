import { useState } from 'react';
import { useT } from '../../i18n/strings.js';

/**
 * A touch keyboard for what an installer types on a kiosk with no physical keyboard: a server URL, a serial
 * number and an API key. So it has digits on top, the URL punctuation always visible and one shift key;
 * no space bar (none of the three contains one). Keys are at least 48 px and fit a 1024-px-wide panel.
 */
const ROWS: readonly (readonly string[])[] = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-'],
  ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '_'],
  ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ':', '/'],
  ['z', 'x', 'c', 'v', 'b', 'n', 'm', '.', '@', '=', '~'],
];

export interface OnScreenKeyboardProps {
  value: string;
  onChange(value: string): void;
}

export function OnScreenKeyboard({ value, onChange }: OnScreenKeyboardProps) {
  const t = useT();
  const [shift, setShift] = useState(false);
  const type = (key: string) => onChange(value + (shift ? key.toUpperCase() : key));
  return (
    <div className="osk" data-testid="osk">
      {ROWS.map((row, i) => (
        <div className="osk-row" key={i}>
          {row.map((key) => {
            const shown = shift ? key.toUpperCase() : key;
            return (
              <button key={key} type="button" className="button osk-key" data-testid={`osk-${key}`} onClick={() => type(key)}>
                {shown}
              </button>
            );
          })}
        </div>
      ))}
      <div className="osk-row">
        <button type="button" className={shift ? 'button osk-key osk-wide primary' : 'button osk-key osk-wide'} data-testid="osk-shift" aria-pressed={shift} onClick={() => setShift(!shift)}>
          {t('setup.keyboard.shift')}
        </button>
        <button type="button" className="button osk-key osk-wide" data-testid="osk-https" onClick={() => onChange(value + 'https://')}>
          https://
        </button>
        <button type="button" className="button osk-key osk-wide" data-testid="osk-backspace" onClick={() => onChange(value.slice(0, -1))}>
          {t('setup.keyboard.backspace')}
        </button>
        <button type="button" className="button osk-key osk-wide" data-testid="osk-clear" onClick={() => onChange('')}>
          {t('common.clear')}
        </button>
      </div>
    </div>
  );
}

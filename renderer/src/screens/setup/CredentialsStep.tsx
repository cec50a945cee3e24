import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { OnScreenKeyboard } from './OnScreenKeyboard.js';

type Drives = ReplyOf<'setup.usbCredentials'>['drives'];
type ImportReply = ReplyOf<'setup.importCredentials'>;
type Field = 'serverUrl' | 'serialNumber' | 'apiKey';
const FIELDS: readonly Field[] = ['serverUrl', 'serialNumber', 'apiKey'];

/**
 * Credentials come from `rvm-credentials.json` on a USB drive (the usual way: the server's admin page hands out
 * that file) or are typed on the on-screen keyboard. The core validates and stores them; the key never comes back.
 */
export function CredentialsStep() {
  const t = useT();
  const present = useKiosk((s) => s.setup?.credentials.present ?? false);
  const serialNumber = useKiosk((s) => s.setup?.credentials.serialNumber ?? null);
  const [mode, setMode] = useState<'usb' | 'typed'>('usb');
  const [result, setResult] = useState<ImportReply | null>(null);

  const importWith = async (request: { file: string } | Record<Field, string>) => {
    setResult(await callCore('setup.importCredentials', request));
  };

  return (
    <div className="setup-step" data-testid="setup-credentials">
      <div className="setup-line" data-testid="setup-credentials-status">
        {present ? t('setup.credentials.present', { serial: serialNumber ?? '—' }) : t('setup.credentials.missing')}
      </div>
      {result && !result.ok ? (
        <div className="setup-line setup-bad" role="alert" data-testid="setup-credentials-error">
          {t(`setup.credentials.error.${result.error ?? 'invalid'}`)}
        </div>
      ) : null}
      {mode === 'usb' ? (
        <UsbList onPick={(file) => importWith({ file })} onType={() => setMode('typed')} />
      ) : (
        <TypedForm onSave={importWith} onUsb={() => setMode('usb')} />
      )}
    </div>
  );
}

function UsbList({ onPick, onType }: { onPick(file: string): void; onType(): void }) {
  const t = useT();
  const [drives, setDrives] = useState<Drives | null>(null);
  const load = async () => setDrives((await callCore('setup.usbCredentials', {}))?.drives ?? []);
  useEffect(() => void load(), []);
  const files = (drives ?? []).flatMap((d) => d.files.map((file) => ({ file, label: d.label })));
  return (
    <>
      <div className="setup-list" data-testid="setup-usb-files">
        {drives === null ? <div className="setup-line">{t('setup.searching')}</div> : null}
        {drives !== null && files.length === 0 ? <div className="setup-line">{t('setup.credentials.noFiles')}</div> : null}
        {files.map(({ file, label }) => (
          <button key={file} className="button setup-choice" data-testid="setup-usb-file" onClick={() => onPick(file)}>
            {label} · {file.split('/').pop()}
          </button>
        ))}
      </div>
      <div className="row">
        <button className="button" data-testid="setup-usb-refresh" onClick={() => void load()}>
          {t('setup.refresh')}
        </button>
        <button className="button" data-testid="setup-type-instead" onClick={onType}>
          {t('setup.credentials.typeInstead')}
        </button>
      </div>
    </>
  );
}

function TypedForm({ onSave, onUsb }: { onSave(values: Record<Field, string>): void; onUsb(): void }) {
  const t = useT();
  const [values, setValues] = useState<Record<Field, string>>({ serverUrl: '', serialNumber: '', apiKey: '' });
  const [field, setField] = useState<Field>('serverUrl');
  const complete = FIELDS.every((f) => values[f].length > 0);
  return (
    <>
      <div className="setup-fields">
        {FIELDS.map((f) => (
          <button key={f} className={f === field ? 'button setup-field active' : 'button setup-field'} data-testid={`setup-field-${f}`} onClick={() => setField(f)}>
            <span className="setup-field-label">{t(`setup.credentials.${f}`)}</span>
            {/* The key is shown masked but for its last 4 characters, enough to catch a typo at the end. */}
            <span className="setup-field-value">{f === 'apiKey' ? mask(values[f]) : values[f] || ' '}</span>
          </button>
        ))}
      </div>
      <OnScreenKeyboard value={values[field]} onChange={(v) => setValues({ ...values, [field]: v })} />
      <div className="row">
        <button className="button" data-testid="setup-usb-instead" onClick={onUsb}>
          {t('setup.credentials.usbInstead')}
        </button>
        <button className="button primary" data-testid="setup-credentials-save" disabled={!complete} onClick={() => onSave(values)}>
          {t('setup.credentials.save')}
        </button>
      </div>
    </>
  );
}

function mask(key: string): string {
  return key.length <= 4 ? key || ' ' : '•'.repeat(Math.min(key.length - 4, 12)) + key.slice(-4);
}

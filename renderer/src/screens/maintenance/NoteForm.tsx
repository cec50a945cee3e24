import { useState } from 'react';
import { useT } from '../../i18n/strings.js';

/**
 * The note for an acknowledge (optional) or a resolve (required). A required note that is blank is refused
 * here with a message, before any command goes to the core; the core refuses it too (the note must be non-empty).
 */
export function NoteForm({
  kind,
  busy,
  onSubmit,
  onCancel,
}: {
  kind: 'acknowledge' | 'resolve';
  busy: boolean;
  onSubmit: (note: string | undefined) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const required = kind === 'resolve';
  const submit = () => {
    const trimmed = note.trim();
    if (required && !trimmed) return setMissing(true);
    onSubmit(trimmed || undefined);
  };
  const label = required ? t('maintenance.alerts.note') : t('maintenance.alerts.noteOptional');
  return (
    <form
      className="note-form"
      data-testid="alert-note-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <input
        className="text-field"
        data-testid="alert-note"
        aria-label={label}
        placeholder={label}
        maxLength={2000}
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          setMissing(false);
        }}
      />
      <button type="button" className="button small primary" data-testid="alert-note-save" disabled={busy} onClick={submit}>
        {t(`maintenance.alerts.${kind}`)}
      </button>
      <button type="button" className="button small" data-testid="alert-note-cancel" onClick={onCancel}>
        {t('maintenance.dash.cancel')}
      </button>
      {missing ? <div className="panel-result bad-text" data-testid="alert-note-missing">{t('maintenance.alerts.noteRequired')}</div> : null}
    </form>
  );
}

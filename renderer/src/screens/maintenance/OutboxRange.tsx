import { useState } from 'react';
import { dayOf, dayRange } from '../../../../src/domain/zoned-day.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { useMachineNow } from './hooks.js';

export type DayRange = { from: number; to: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * "From day … to day" for the outbox preview and push. The days are the machine's calendar days in its own
 * zone (`clock.state.timezone`), never the browser's: the bounds come from the same `dayRange()` the core
 * documents (src/domain/zoned-day.ts), as epoch ms — `from` inclusive at the first midnight, `to` exclusive
 * at the midnight after the last day.
 */
export function OutboxRange({ busy, onPreview, onPush }: { busy: boolean; onPreview(range: DayRange): void; onPush(range: DayRange): void }) {
  const t = useT();
  const zone = useKiosk((s) => s.clock.timezone);
  // The default day is today on the machine's synced clock; a minute's resolution is plenty for a date.
  const today = dayOf(useMachineNow(60_000), zone);
  const [first, setFirst] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const from = first ?? today;
  const to = last ?? today;
  // 'YYYY-MM-DD' strings compare as dates; an emptied picker is not a day.
  const valid = DAY.test(from) && DAY.test(to) && from <= to;
  const range = () => dayRange(from, zone, to);

  return (
    <div className="outbox-range" data-testid="outbox-range">
      <label>
        {t('maintenance.outbox.range.from')}{' '}
        <input type="date" className="text-field" data-testid="outbox-range-from" value={from} onChange={(e) => setFirst(e.target.value)} />
      </label>
      <label>
        {t('maintenance.outbox.range.to')}{' '}
        <input type="date" className="text-field" data-testid="outbox-range-to" value={to} onChange={(e) => setLast(e.target.value)} />
      </label>
      <button className="button small" data-testid="outbox-range-preview" disabled={busy || !valid} onClick={() => onPreview(range())}>
        {t('maintenance.outbox.range.preview')}
      </button>
      <button className="button small" data-testid="outbox-range-push" disabled={busy || !valid} onClick={() => onPush(range())}>
        {t('maintenance.outbox.range.push')}
      </button>
      {valid ? null : (
        <div className="panel-result bad-text" data-testid="outbox-range-invalid">
          {t('maintenance.outbox.range.invalid')}
        </div>
      )}
    </div>
  );
}

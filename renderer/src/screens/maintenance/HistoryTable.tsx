import { useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { useMachineNow } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { formatAt } from './zone-time.js';

export const HISTORY_PAGE = 20;

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** The chart's points as rows, newest first, a page at a time (a week is up to 500 rows). */
export function HistoryTable({ history }: { history: ReplyOf<'monitoring.history'> }) {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow(60_000);
  const [page, setPage] = useState(0);
  const rows = [...history.points].reverse();
  const pages = Math.max(1, Math.ceil(rows.length / HISTORY_PAGE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * HISTORY_PAGE, (current + 1) * HISTORY_PAGE);
  return (
    <div className="history-table">
      <MiniTable
        testId="history-table"
        head={[t('maintenance.col.time'), t('maintenance.history.value', { unit: history.unit }), t('maintenance.history.min'), t('maintenance.history.max')]}
        empty={t('maintenance.charts.empty')}
        rows={shown.map((p) => ({ key: String(p.at), cells: [formatAt(p.at, now, timeZone), num(p.value), num(p.min), num(p.max)] }))}
      />
      <div className="panel-actions">
        <button className="button small" data-testid="history-prev" disabled={current === 0} onClick={() => setPage(current - 1)}>
          {t('maintenance.history.newer')}
        </button>
        <span className="pager" data-testid="history-page">
          {t('maintenance.history.page', { page: current + 1, pages })}
        </span>
        <button className="button small" data-testid="history-next" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
          {t('maintenance.history.older')}
        </button>
      </div>
    </div>
  );
}

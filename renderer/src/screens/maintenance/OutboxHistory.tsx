import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { dayOf, startOfDay } from '../../../../src/domain/zoned-day.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText, useMachineNow } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { formatAt } from './zone-time.js';

type Entry = ReplyOf<'outbox.history'>['entries'][number];

const isMidnight = (ms: number, zone: string) => startOfDay(dayOf(ms, zone), zone) === ms;
const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/**
 * The outbox's push history (`outbox.history`): every manual push and each automatic pass that sent something
 * or failed, newest first. Shown on request and re-read whenever `refreshKey` changes (a push, a hold, a new
 * attempt in `outbox.state`), so the table a technician is looking at is never one pass behind.
 */
export function OutboxHistory({ refreshKey }: { refreshKey: string }) {
  const t = useT();
  const zone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void callCore('outbox.history', { limit: 20 }).then((reply) => {
      if (!live) return;
      setMessage(reply ? null : noReplyText(t));
      setEntries(reply ? reply.entries : null);
    });
    return () => {
      live = false;
    };
    // t changes with the language only; the history itself does not.
  }, [open, refreshKey]);

  const at = (ms: number | null) => (ms === null ? '…' : formatAt(ms, now, zone));
  const range = (e: Entry) => {
    if (e.from === null && e.to === null) return t('maintenance.outbox.history.all');
    // A range picked as whole days (midnight to midnight in the zone) reads as those days, "30/01/2026 – 31/01/2026".
    if (e.from !== null && e.to !== null && isMidnight(e.from, zone) && isMidnight(e.to, zone)) {
      const first = dayOf(e.from, zone);
      const last = dayOf(e.to - 1, zone);
      return first === last ? dmy(first) : `${dmy(first)} – ${dmy(last)}`;
    }
    return `${at(e.from)} – ${at(e.to)}`;
  };
  const result = (e: Entry) => {
    const text = t(`maintenance.outbox.history.result.${e.result}`);
    return e.message ? `${text}: ${e.message}` : text;
  };

  return (
    <>
      <button className={`button small${open ? ' active' : ''}`} data-testid="outbox-history" onClick={() => setOpen(!open)}>
        {t('maintenance.outbox.history.show')}
      </button>
      {open && message ? <div className="panel-result" data-testid="outbox-history-result">{message}</div> : null}
      {open && entries ? (
        <MiniTable
          testId="outbox-history-table"
          head={[
            t('maintenance.col.time'),
            t('maintenance.outbox.history.col.trigger'),
            t('maintenance.outbox.history.col.counts'),
            t('maintenance.outbox.history.col.result'),
            t('maintenance.outbox.history.col.range'),
          ]}
          empty={t('maintenance.outbox.history.empty')}
          wrap={[3, 4]}
          rows={entries.map((e, i) => ({
            key: `${e.at}-${i}`,
            bad: e.result !== 'ok' || e.failed > 0,
            cells: [at(e.at), t(`maintenance.outbox.history.trigger.${e.trigger}`), `${e.attempted} / ${e.pushed} / ${e.failed}`, result(e), range(e)],
          }))}
        />
      ) : null}
    </>
  );
}

import type { ReactNode } from 'react';

/** A compact, scrollable table inside a panel (request log, outbox preview). */
export function MiniTable({
  testId,
  head,
  rows,
  empty,
  wrap = [],
}: {
  testId: string;
  head: string[];
  rows: Array<{ key: string; cells: ReactNode[]; bad?: boolean }>;
  empty: string;
  /** Columns (by index) whose long values may break across lines, e.g. a request path. */
  wrap?: number[];
}) {
  if (rows.length === 0) return <div className="panel-result" data-testid={testId}>{empty}</div>;
  return (
    <div className="mini-table" data-testid={testId}>
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.bad ? 'bad' : undefined}>
              {row.cells.map((cell, i) => (
                <td key={i} className={wrap.includes(i) ? 'wrap' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

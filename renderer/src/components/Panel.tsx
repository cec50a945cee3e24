import type { ReactNode } from 'react';

/** A maintenance panel: a title, a list of label/value facts, and room for actions. */
export function Panel({ title, testId, facts, children }: { title: string; testId: string; facts: Array<[string, ReactNode]>; children?: ReactNode }) {
  return (
    <section className="panel" data-testid={testId}>
      <h2>{title}</h2>
      <dl>
        {facts.map(([label, value]) => (
          <FactRow key={label} label={label} value={value} />
        ))}
      </dl>
      {children ? <div className="panel-actions">{children}</div> : null}
    </section>
  );
}

function FactRow({ label, value }: { label: string; value: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </>
  );
}

export const since = (epochMs: number | null | undefined): string => (epochMs ? new Date(epochMs).toLocaleTimeString() : '—');

import type { ReactNode } from 'react';

/** How healthy the part a panel shows is; the panel's edge takes the colour so a fault stands out at a glance. */
export type PanelTone = 'ok' | 'warn' | 'bad';

/** A maintenance panel: a title, a list of label/value facts, and room for actions. */
export function Panel({
  title,
  testId,
  facts,
  tone,
  children,
}: {
  title: string;
  testId: string;
  facts: Array<[string, ReactNode]>;
  tone?: PanelTone;
  children?: ReactNode;
}) {
  return (
    <section className={tone ? `panel tone-${tone}` : 'panel'} data-testid={testId} data-tone={tone}>
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

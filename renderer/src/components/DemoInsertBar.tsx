import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';

const KINDS = ['pet', 'can', 'glass', 'other'] as const;

/** Demo mode only: pretend a recycler dropped an item into the simulated machine. */
export function DemoInsertBar({ disabled }: { disabled: boolean }) {
  const t = useT();
  return (
    <div className="row demo-bar">
      {KINDS.map((kind) => (
        <button
          key={kind}
          className="button demo"
          data-testid={`demo-insert-${kind}`}
          disabled={disabled}
          onClick={() => void callCore('hardware.simulateInsert', { kind })}
        >
          {t('session.demoInsert')} {kind === 'other' ? '?' : t(`material.${kind}`)}
        </button>
      ))}
    </div>
  );
}

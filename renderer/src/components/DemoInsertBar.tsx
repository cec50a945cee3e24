import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';

/**
 * Demo mode only: pretend a recycler put an item in the simulated machine. Each scenario pairs a simulated
 * item (weight, volume) with a real photo the real model classifies — we ship no bottle or can photo, so the
 * demo shows what the photos can honestly show: a cup (accepted as glass), two glasses (one at a time,
 * please), and a cat (not a container).
 */
const SCENARIOS = [
  { id: 'cup', kind: 'glass', photo: 'coffee.png', label: 'demo.cup' },
  { id: 'two-glasses', kind: 'glass', photo: 'wine-glasses.jpg', label: 'demo.twoGlasses' },
  { id: 'cat', kind: 'other', photo: 'chelsea.png', label: 'demo.cat' },
] as const;

export function DemoInsertBar({ disabled }: { disabled: boolean }) {
  const t = useT();
  const insert = async (scenario: (typeof SCENARIOS)[number]) => {
    if (!(await callCore('detection.selectPhoto', { file: scenario.photo }))) return;
    await callCore('hardware.simulateInsert', { kind: scenario.kind });
  };
  return (
    <div className="row demo-bar">
      {SCENARIOS.map((scenario) => (
        <button key={scenario.id} className="button demo" data-testid={`demo-insert-${scenario.id}`} disabled={disabled} onClick={() => void insert(scenario)}>
          {t('session.demoInsert')} {t(scenario.label)}
        </button>
      ))}
    </div>
  );
}

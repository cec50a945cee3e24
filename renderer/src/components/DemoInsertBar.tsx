import { callCore } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';

/**
 * Demo mode only: pretend a recycler put an item in the simulated machine. Each scenario pairs a simulated
 * item (weight, volume) with a real photo the real model classifies. The only freely licensed drink-container
 * photo the model accepts is a glass bottle (glass-wine-bottle.jpg, credited in assets/demo-camera/NOTICE.md);
 * no can or PET-bottle photo exists within reach, so the demo cannot show those materials. Besides the bottle:
 * a cup (also glass), two glasses (one at a time, please), and a cat (not a container).
 * test/detection/demo-photos.test.ts checks that the real model accepts the bottle photo as glass.
 */
const SCENARIOS = [
  { id: 'glass-bottle', kind: 'glass', photo: 'glass-wine-bottle.jpg', label: 'demo.glassBottle' },
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

import { useState } from 'react';
import type { RequestOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText } from './hooks.js';
import { formatAt } from './zone-time.js';

type TestAction = RequestOf<'hardware.test'>['action'];
const TESTS: TestAction[] = ['ping', 'conveyor', 'gate', 'door_lock', 'door_unlock', 'lights', 'buzzer', 'tare'];

/** Machine controller: link, counters, bin levels, and one button per hardware test. */
export function HardwarePanel() {
  const t = useT();
  const link = useKiosk((s) => s.link);
  const bins = useKiosk((s) => s.bins);
  const timeZone = useKiosk((s) => s.clock.timezone);
  const [result, setResult] = useState<string | null>(null);

  const run = async (action: TestAction) => {
    const test = t(`maintenance.hardware.test.${action}`);
    setResult(t('maintenance.hardware.running', { test }));
    const reply = await callCore('hardware.test', { action });
    if (!reply) return setResult(`${test}: ${noReplyText(t)}`);
    const verdict = reply.ok ? t('maintenance.ok') : t('maintenance.failed');
    // The controller's own detail stays as it sent it: a technician compares it with the firmware's docs.
    setResult(t('maintenance.hardware.result', { test, verdict, ms: reply.roundTripMs.toFixed(1), detail: reply.detail }));
  };

  const c = link?.counters;
  return (
    <Panel
      title={t('maintenance.hardware.title')}
      testId="panel-hardware"
      tone={!link ? 'warn' : link.status === 'connected' ? 'ok' : link.status === 'connecting' ? 'warn' : 'bad'}
      facts={[
        [
          t('maintenance.hardware.link'),
          link ? t('maintenance.hardware.linkValue', { status: t(`maintenance.hardware.status.${link.status}`), time: formatAt(link.since, Date.now(), timeZone) }) : null,
        ],
        [
          t('maintenance.hardware.port'),
          link ? `${link.port ?? '—'} (${t(`maintenance.hardware.transport.${link.transport}`)}, ${link.dialect})` : null,
        ],
        [t('maintenance.hardware.firmware'), link?.firmware],
        [t('maintenance.hardware.frames'), c ? `${c.framesIn} / ${c.framesOut}` : null],
        [t('maintenance.hardware.faults'), c ? `${c.malformed} · ${c.naks} · ${c.timeouts}` : null],
        [t('maintenance.hardware.retries'), c ? `${c.retries} · ${c.reconnects}` : null],
        [t('maintenance.lastError'), link?.lastError],
        ...(bins
          ? (Object.entries(bins.bins) as Array<[string, { percent: number; full: boolean }]>).map(([bin, level]): [string, string] => [
              t('maintenance.hardware.bin', { name: t(`maintenance.hardware.binName.${bin}`) }),
              `${Math.round(level.percent)}%${level.full ? ` ${t('maintenance.hardware.full')}` : ''}`,
            ])
          : []),
      ]}
    >
      {TESTS.map((action) => (
        <button key={action} className="button small" data-testid={`hw-test-${action}`} onClick={() => void run(action)}>
          {t(`maintenance.hardware.test.${action}`)}
        </button>
      ))}
      {result ? <div className="panel-result" data-testid="hw-test-result">{result}</div> : null}
    </Panel>
  );
}

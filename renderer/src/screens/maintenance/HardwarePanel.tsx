import { useState } from 'react';
import type { RequestOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel } from '../../components/Panel.js';
import { useKiosk } from '../../store/store.js';
import { formatAt } from './zone-time.js';

type TestAction = RequestOf<'hardware.test'>['action'];
const TESTS: TestAction[] = ['ping', 'conveyor', 'gate', 'door_lock', 'door_unlock', 'lights', 'buzzer', 'tare'];

/** Machine controller: link, counters, bin levels, and one button per hardware test. */
export function HardwarePanel() {
  const link = useKiosk((s) => s.link);
  const bins = useKiosk((s) => s.bins);
  const timeZone = useKiosk((s) => s.clock.timezone);
  const [result, setResult] = useState<string | null>(null);

  const run = async (action: TestAction) => {
    setResult(`${action}…`);
    const reply = await callCore('hardware.test', { action });
    setResult(reply ? `${action}: ${reply.ok ? 'OK' : 'GAGAL / FAILED'} (${reply.roundTripMs.toFixed(1)} ms) ${reply.detail}` : `${action}: no reply`);
  };

  const c = link?.counters;
  return (
    <Panel
      title="Mesin / Machine"
      testId="panel-hardware"
      tone={!link ? 'warn' : link.status === 'connected' ? 'ok' : link.status === 'connecting' ? 'warn' : 'bad'}
      facts={[
        ['Link', link ? `${link.status} since ${formatAt(link.since, Date.now(), timeZone)}` : null],
        ['Port', link ? `${link.port ?? '—'} (${link.transport}, ${link.dialect})` : null],
        ['Firmware', link?.firmware],
        ['Frames in/out', c ? `${c.framesIn} / ${c.framesOut}` : null],
        ['Malformed · NAK · timeouts', c ? `${c.malformed} · ${c.naks} · ${c.timeouts}` : null],
        ['Retries · reconnects', c ? `${c.retries} · ${c.reconnects}` : null],
        ['Last error', link?.lastError],
        ...(bins
          ? (Object.entries(bins.bins) as Array<[string, { percent: number; full: boolean }]>).map(
              ([bin, level]): [string, string] => [`Bin ${bin}`, `${Math.round(level.percent)}%${level.full ? ' FULL' : ''}`],
            )
          : []),
      ]}
    >
      {TESTS.map((action) => (
        <button key={action} className="button small" data-testid={`hw-test-${action}`} onClick={() => void run(action)}>
          {action}
        </button>
      ))}
      {result ? <div className="panel-result" data-testid="hw-test-result">{result}</div> : null}
    </Panel>
  );
}

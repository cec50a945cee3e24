import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { kioskStore, useKiosk } from '../../store/store.js';
import { Choice } from './Choice.js';
import { HistoryTable } from './HistoryTable.js';
import { RANGES } from './ranges.js';
import { sensorLabel } from './sensor-label.js';
import { SensorChart } from './SensorChart.js';

type ChartRange = '24h' | '7d';
type Sensor = ReplyOf<'monitoring.sensors'>['sensors'][number];

/** The chart opens on the glass bin: the one that fills first on most machines, and the demo's story. */
const DEFAULT_SENSOR = 'bin.glass';

/** A sensor picker, 24 h / 7 d, the chart, and the same points as a paged table. */
export function ChartsPanel() {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const [sensors, setSensors] = useState<Sensor[]>([]);
  const [sensor, setSensor] = useState(DEFAULT_SENSOR);
  const [range, setRange] = useState<ChartRange>('24h');
  const [history, setHistory] = useState<ReplyOf<'monitoring.history'> | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    void callCore('monitoring.sensors', {}).then((reply) => reply && setSensors(reply.sensors));
  }, []);

  useEffect(() => {
    let current = true;
    // Ranges end at the machine's server-synced now, like every time on these screens.
    const to = Date.now() + kioskStore.getState().clock.offsetMs;
    void callCore('monitoring.history', { sensor, from: to - RANGES[range], to, maxPoints: 500 }).then((reply) => {
      if (!current) return; // a later choice already asked again
      setFailed(!reply);
      setHistory(reply);
    });
    return () => {
      current = false;
    };
  }, [sensor, range]);

  const known = sensors.find((s) => s.sensor === sensor);
  const label = sensorLabel(t, sensor, known?.label ?? sensor);
  return (
    <section className="panel dash-panel" data-testid="panel-charts">
      <h2>{t('maintenance.charts.title')}</h2>
      <div className="dash-filters">
        <select className="text-field" data-testid="charts-sensor" aria-label={t('maintenance.charts.sensor')} value={sensor} onChange={(e) => setSensor(e.target.value)}>
          {(sensors.length > 0 ? sensors : [{ sensor, label: sensor, unit: '', value: null, at: null }]).map((s) => (
            <option key={s.sensor} value={s.sensor}>
              {sensorLabel(t, s.sensor, s.label)}
            </option>
          ))}
        </select>
        <Choice
          testId="charts-range"
          label={t('maintenance.charts.range')}
          value={range}
          onChange={setRange}
          options={[
            ['24h', t('maintenance.range.24h')],
            ['7d', t('maintenance.range.7d')],
          ]}
        />
      </div>
      {failed ? <div className="panel-result" data-testid="charts-result">{t('maintenance.noReply')}</div> : null}
      {history ? <SensorChart history={history} label={label} timeZone={timeZone} /> : null}
      {history ? <HistoryTable key={`${sensor}-${range}`} history={history} /> : null}
    </section>
  );
}

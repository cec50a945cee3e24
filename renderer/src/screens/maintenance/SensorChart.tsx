import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { useT } from '../../i18n/strings.js';
import { wallTime } from './zone-time.js';

type History = ReplyOf<'monitoring.history'>;

const HEIGHT = 240;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Tick labels in the machine's zone and a 24-hour clock ("14:00", "30/01"), as everywhere on these screens,
 * instead of uPlot's US defaults ("2pm", "1/30/26") that mean little to a technician in Indonesia.
 */
function timeTicks(timeZone: string, spanMs: number) {
  return (_u: uPlot, splits: number[]) =>
    splits.map((ts) => {
      const w = wallTime(ts * 1000, timeZone);
      return spanMs <= 36 * 3_600_000 ? `${pad(w.hour)}:${pad(w.minute)}` : `${pad(w.day)}/${pad(w.month)}`;
    });
}

/** uPlot draws on a 2D canvas and fails in a later microtask without one, beyond a try/catch: ask first. */
function canDraw(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

/**
 * One sensor over time with uPlot (canvas; small enough for the Jetson). The line is each bucket's average,
 * the faint lines its min and max, so a short spike averaged away still shows. Times are in the machine's zone.
 */
export function SensorChart({ history, label, timeZone }: { history: History; label: string; timeZone: string }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    if (!canDraw()) {
      // No canvas (a headless test DOM, a GPU-less fallback): the table below still has every figure.
      setFailed(true);
      return undefined;
    }
    const xs = history.points.map((p) => p.at / 1000);
    const data: uPlot.AlignedData = [xs, history.points.map((p) => p.value), history.points.map((p) => p.min), history.points.map((p) => p.max)];
    let plot: uPlot | null = null;
    try {
      plot = new uPlot(
        {
          width: Math.max(320, el.clientWidth || 900),
          height: HEIGHT,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
          legend: { show: false },
          scales: { x: { time: true, range: [history.from / 1000, history.to / 1000] } },
          axes: [{ stroke: '#cfe3da', grid: { stroke: 'rgba(255,255,255,0.08)' }, values: timeTicks(timeZone, history.to - history.from) }, { stroke: '#cfe3da', grid: { stroke: 'rgba(255,255,255,0.08)' }, label: history.unit }],
          series: [{}, { label, stroke: '#6fe0b0', width: 2 }, { stroke: 'rgba(111,224,176,0.35)' }, { stroke: 'rgba(111,224,176,0.35)' }],
        },
        data,
        el,
      );
      setFailed(false);
    } catch {
      setFailed(true);
    }
    return () => plot?.destroy();
  }, [history, label, timeZone]);

  return (
    <div className="sensor-chart" data-testid="sensor-chart" aria-label={label}>
      <div ref={box} />
      {failed ? <div className="panel-result">{t('maintenance.charts.noChart')}</div> : null}
      {history.points.length === 0 ? <div className="panel-result" data-testid="sensor-chart-empty">{t('maintenance.charts.empty')}</div> : null}
    </div>
  );
}

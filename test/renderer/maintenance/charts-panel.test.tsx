import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplyOf, RequestOf } from '../../../src/contract/index.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { typeInto } from './dashboard-fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

// happy-dom has no canvas: uPlot is replaced by a recorder of what the panel hands it (options and data).
const plots = vi.hoisted(() => [] as Array<{ opts: { series: Array<{ label?: string }>; scales: { x: { range: [number, number] } }; axes: Array<{ values?: (u: unknown, splits: number[]) => string[] }> }; data: number[][]; destroyed: boolean }>);
vi.mock('uplot', () => {
  class FakePlot {
    static tzDate = (d: Date) => d;
    destroyed = false;
    constructor(
      public opts: never,
      public data: number[][],
    ) {
      plots.push(this as never);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return { default: FakePlot };
});
vi.mock('uplot/dist/uPlot.min.css', () => ({}));

const { ChartsPanel } = await import('../../../renderer/src/screens/maintenance/ChartsPanel.js');

const NOW = Date.parse('2026-01-31T05:00:00Z');
const HOUR = 3_600_000;

function history(request: RequestOf<'monitoring.history'>, count: number): ReplyOf<'monitoring.history'> {
  const to = Number(request.to);
  return {
    sensor: request.sensor,
    unit: request.sensor.startsWith('bin.') ? '%' : '°C',
    from: Number(request.from),
    to,
    // Oldest first, one point per 5 minutes up to `to`, value = its index.
    points: Array.from({ length: count }, (_, i) => ({ at: to - (count - i) * 300_000, value: i, min: i - 0.5, max: i + 0.5 })),
  };
}

describe('charts panel', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    plots.length = 0;
    // The panel asks for a 2D context before it lets uPlot draw; the fake plot needs nothing from it.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    kioskStore.getState().setClock({ ...kioskStore.getState().clock, offsetMs: 1_000, timezone: 'Asia/Jakarta' });
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  function core(count = 25) {
    return fakeCore({
      'monitoring.sensors': () => ({
        sensors: [
          { sensor: 'bin.glass', label: 'Glass bin fill', unit: '%', value: 40, at: NOW },
          { sensor: 'machine.temperature', label: 'Machine temperature', unit: '°C', value: 31, at: NOW },
          { sensor: 'x.future', label: 'A sensor the tables do not know', unit: 'u', value: null, at: null },
        ],
      }),
      'monitoring.history': (r) => history(r, count),
    });
  }

  it('asks for 24 h of the glass bin ending at the synced now, and draws it in seconds', async () => {
    const fake = core();
    view = await mount(<ChartsPanel />);
    await settle();
    expect(fake.callsOf('monitoring.history')).toEqual([{ sensor: 'bin.glass', from: NOW + 1_000 - 24 * HOUR, to: NOW + 1_000, maxPoints: 500 }]);
    const plot = plots.at(-1)!;
    expect(plot.data[0]![0]).toBe((NOW + 1_000 - 25 * 300_000) / 1000);
    expect(plot.data.slice(1).map((s) => s[0])).toEqual([0, -0.5, 0.5]);
    expect(plot.opts.series[1]!.label).toBe('Isi wadah kaca');
    // Ticks on a 24-hour clock in the machine's zone (07:00 UTC is 14:00 in Jakarta), not uPlot's "2pm".
    expect(plot.opts.axes[0]!.values!(null, [Date.parse('2026-01-31T07:00:00Z') / 1000])).toEqual(['14:00']);
    expect(plot.opts.scales.x.range).toEqual([(NOW + 1_000 - 24 * HOUR) / 1000, (NOW + 1_000) / 1000]);
    // Sensor names in the screen's language; one the tables lack keeps the core's label.
    const options = [...view.container.querySelectorAll('option')].map((o) => o.textContent);
    expect(options).toEqual(['Isi wadah kaca', 'Suhu mesin', 'A sensor the tables do not know']);
  });

  it('changes sensor and range, and drops the old chart', async () => {
    const fake = core();
    view = await mount(<ChartsPanel />);
    await settle();
    await act(async () => typeInto(view!.byTestId('charts-sensor'), 'machine.temperature'));
    await settle();
    await tap(view.byTestId('charts-range-7d'));
    await settle();
    expect(fake.callsOf('monitoring.history').slice(1)).toEqual([
      { sensor: 'machine.temperature', from: NOW + 1_000 - 24 * HOUR, to: NOW + 1_000, maxPoints: 500 },
      { sensor: 'machine.temperature', from: NOW + 1_000 - 7 * 24 * HOUR, to: NOW + 1_000, maxPoints: 500 },
    ]);
    expect(plots.slice(0, -1).every((p) => p.destroyed)).toBe(true);
    expect(plots.at(-1)!.destroyed).toBe(false);
  });

  it('lists the same points newest first, 20 to a page', async () => {
    core(25);
    view = await mount(<ChartsPanel />);
    await settle();
    const firstColumn = () => [...view!.container.querySelectorAll('[data-testid="history-table"] tbody tr')].map((tr) => tr.querySelectorAll('td')[1]!.textContent);
    expect(firstColumn()).toHaveLength(20);
    expect(firstColumn()[0]).toBe('24');
    expect(view.text('history-page')).toBe('Halaman 1 dari 2');
    expect((view.byTestId('history-prev') as HTMLButtonElement).disabled).toBe(true);
    await tap(view.byTestId('history-next'));
    expect(firstColumn()).toEqual(['4', '3', '2', '1', '0']);
    expect(view.text('history-page')).toBe('Halaman 2 dari 2');
    expect((view.byTestId('history-next') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says so when a range has no readings', async () => {
    core(0);
    view = await mount(<ChartsPanel />);
    await settle();
    expect(view.text('sensor-chart-empty')).toBe('Belum ada data pada rentang ini');
  });

  it('without a canvas draws nothing, says so, and still lists the points', async () => {
    vi.mocked(HTMLCanvasElement.prototype.getContext).mockReturnValue(null);
    core(3);
    view = await mount(<ChartsPanel />);
    await settle();
    expect(plots).toHaveLength(0);
    expect(view.text('sensor-chart')).toContain('Grafik tidak dapat digambar; lihat tabel');
    expect(view.container.querySelectorAll('[data-testid="history-table"] tbody tr')).toHaveLength(3);
  });
});

/**
 * Watches the controller link for the rest of the kiosk: the link state with its counters (at most once a
 * second for counter changes, at once for state changes), the bin levels judged against the bin-full
 * threshold, and the alarms `link_lost` and `hardware_fault`. A full bin is not an alarm: it refuses only its
 * material (src/session/availability.ts), so the levels go out through `onBins`; likewise a controller fault
 * that names a bin (`bin_sensor_glass`, `glass_gate`) goes out through `onBinFaults` instead of taking the
 * whole machine out of service. On every (re)connect it asks the controller for its status, because events
 * sent while the link was down are gone. It knows nothing of the UI or the status board: setup-hardware.ts
 * turns its callbacks into contract events, bus signals, availability and alarms.
 */
import type { Bin } from '../domain/ports.js';
import type { BinLevel, BinLevels } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import type { LinkState, MachineDriver } from './driver/machine-driver.js';
import { MachinePicture } from './machine-picture.js';

const log = createLogger('hardware');
const COUNTER_PUBLISH_MS = 1000;

export interface MonitorOptions {
  binFullPercent: number;
  simulated: boolean;
}

export type LinkPayload = LinkState & { simulated: boolean; counters: MachineDriver['counters'] };

/** Where the monitor's findings go; the alarms are a structural `{ raise, clear }`, like detection's. */
export interface MonitorOutputs {
  onLink(payload: LinkPayload): void;
  onBins(levels: BinLevels): void;
  /** The controller reported one bin's level (a FILL event, or each bin of a STAT reply). */
  onBinReport?(bin: Bin, level: BinLevel): void;
  /** The bins an active controller fault names (empty when none does). */
  onBinFaults?(bins: Bin[]): void;
  alarms: { raise(code: string, detail?: string): void; clear(code: string): void };
}

export class HardwareMonitor {
  readonly picture = new MachinePicture();
  private lastCounters = '';
  private lastStatus: LinkState['status'] | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly driver: MachineDriver,
    private readonly out: MonitorOutputs,
    private readonly options: MonitorOptions,
  ) {
    this.unsubscribe.push(driver.onState((state) => this.onLinkState(state)));
    this.unsubscribe.push(
      driver.onEvent((event) => {
        const changes = this.picture.apply(event);
        if (changes.bins) this.publishBins();
        if (event.type === 'fill') this.out.onBinReport?.(event.bin, this.binsPayload().bins[event.bin]);
        if (changes.faults) this.publishFaults();
      }),
    );
    this.timer = setInterval(() => this.publishCountersIfChanged(), COUNTER_PUBLISH_MS);
    this.timer.unref();
    this.onLinkState(driver.state);
    this.publishBins();
  }

  /** The payload of `hardware.state`. */
  linkPayload(state: LinkState = this.driver.state): LinkPayload {
    return { ...state, simulated: this.options.simulated, counters: { ...this.driver.counters } };
  }

  binsPayload(): BinLevels {
    return this.picture.binLevels(this.options.binFullPercent);
  }

  /** The server's policy (handshake `bin_full_threshold_percent`) overrides the configured threshold. */
  setBinFullPercent(percent: number): void {
    if (!Number.isFinite(percent) || percent < 1 || percent > 100 || percent === this.options.binFullPercent) return;
    log.info('bin-full threshold set by the server', { percent });
    this.options.binFullPercent = percent;
    this.publishBins();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
  }

  private onLinkState(state: LinkState): void {
    this.publishLink(state);
    const entered = state.status !== this.lastStatus;
    this.lastStatus = state.status;
    if (state.status === 'connected') {
      this.out.alarms.clear('link_lost');
      if (entered) void this.syncStatus();
    } else if (state.status !== 'stopped') {
      this.out.alarms.raise('link_lost', `${state.status} since ${new Date(state.since).toISOString()}`);
    }
  }

  private async syncStatus(): Promise<void> {
    if (!this.driver.dialect.capabilities.ops.has('status')) return;
    try {
      const data = await this.driver.send({ op: 'status' });
      if (data.fw) this.driver.noteFirmware(data.fw);
      const changes = this.picture.applyStatus(data);
      if (changes.bins) this.publishBins();
      if (changes.bins) for (const [bin, level] of Object.entries(this.binsPayload().bins)) this.out.onBinReport?.(bin as Bin, level);
      if (changes.faults) this.publishFaults();
    } catch (err) {
      log.warn('could not read the controller status after connecting', { error: String(err) });
    }
  }

  private publishLink(state: LinkState): void {
    const payload = this.linkPayload(state);
    this.lastCounters = JSON.stringify(payload.counters);
    this.out.onLink(payload);
  }

  private publishCountersIfChanged(): void {
    if (JSON.stringify(this.driver.counters) !== this.lastCounters) this.publishLink(this.driver.state);
  }

  private publishBins(): void {
    this.out.onBins(this.binsPayload());
  }

  private publishFaults(): void {
    const all = [...this.picture.faults];
    const binFaults = all.map(binNamedBy).filter((bin): bin is Bin => bin !== null);
    this.out.onBinFaults?.([...new Set(binFaults)]);
    const machineFaults = all.filter((fault) => binNamedBy(fault) === null);
    if (machineFaults.length > 0) this.out.alarms.raise('hardware_fault', machineFaults.join(', '));
    else this.out.alarms.clear('hardware_fault');
  }
}

/** The bin a controller fault code names as one of its `_`/`-`/`.`-separated words (`bin_sensor_glass` → glass). */
export function binNamedBy(fault: string): Bin | null {
  const words = fault.toLowerCase().split(/[_.-]/);
  for (const bin of ['plastic', 'can', 'glass'] as const) if (words.includes(bin)) return bin;
  return null;
}

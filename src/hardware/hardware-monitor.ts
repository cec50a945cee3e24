/**
 * Watches the controller link for the rest of the kiosk: the link state with its counters (at most once a
 * second for counter changes, at once for state changes), the bin levels judged against the bin-full
 * threshold, and the alarms `link_lost`, `bin_full` and `hardware_fault`. On every (re)connect it asks the
 * controller for its status, because events sent while the link was down are gone. It knows nothing of the
 * UI or the status board: setup-hardware.ts turns its callbacks into contract events, bus signals and alarms.
 */
import type { BinLevels } from '../domain/events.js';
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
    const levels = this.binsPayload();
    this.out.onBins(levels);
    const full = Object.entries(levels.bins).filter(([, level]) => level.full);
    if (full.length > 0) this.out.alarms.raise('bin_full', full.map(([bin, level]) => `${bin} ${Math.round(level.percent)}%`).join(', '));
    else this.out.alarms.clear('bin_full');
  }

  private publishFaults(): void {
    const faults = [...this.picture.faults];
    if (faults.length > 0) this.out.alarms.raise('hardware_fault', faults.join(', '));
    else this.out.alarms.clear('hardware_fault');
  }
}

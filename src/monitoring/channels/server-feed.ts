/**
 * What the MyRVM server link needs from monitoring, gathered from the bus: the alerts open right now (for
 * the heartbeat and handshake `diagnostics`) and the readings since the last telemetry send (for the
 * designed telemetry and metrics endpoints). The server link pulls both on its own schedule, so it knows
 * nothing about the bus events or the monitoring feature.
 *
 * Open alerts are followed from the transitions: raised or acknowledged = open, resolved = gone. Alerts
 * already open before a restart are known once the alert store re-announces them, or when the caller hands
 * in the store's own list (`setupMonitoringChannels(…, { openAlerts })`).
 */
import type { BusSubscriber } from '../../core/event-bus.js';
import type { Alert, KioskEvents, Reading } from '../../domain/events.js';

export class ServerFeed {
  private readonly open = new Map<string, Alert>();
  private readings: Reading[] = [];
  private droppedReadings = 0;
  private items = { accepted: 0, rejected: 0 };
  private readonly offs: Array<() => void>;

  constructor(
    bus: BusSubscriber<KioskEvents>,
    /** Readings kept between two telemetry sends; the oldest go first. */
    private readonly maxReadings = 5_000,
  ) {
    this.offs = [
      bus.on('monitoring.alert', ({ alert, to }) => {
        if (to === 'resolved') this.open.delete(alert.id);
        else this.open.set(alert.id, { ...alert, status: to });
      }),
      // Each item's verdict, once (session.item): the items and rejects per metrics period.
      bus.on('session.item', (item) => {
        if (item.accepted) this.items.accepted += 1;
        else this.items.rejected += 1;
      }),
      bus.on('monitoring.readings', (batch) => {
        this.readings.push(...batch);
        const excess = this.readings.length - this.maxReadings;
        if (excess > 0) {
          this.readings.splice(0, excess);
          this.droppedReadings += excess;
        }
      }),
    ];
  }

  /** Open alerts, most severe first, then oldest first. */
  openAlerts(): Alert[] {
    const rank = { critical: 0, warning: 1, info: 2 } as const;
    return [...this.open.values()].sort((a, b) => rank[a.severity] - rank[b.severity] || a.raisedAt - b.raisedAt);
  }

  /** The readings since the last call, and forgets them. */
  drainReadings(): Reading[] {
    const out = this.readings;
    this.readings = [];
    return out;
  }

  /** Items accepted and rejected since the last call, and starts counting afresh. */
  drainItemCounts(): { accepted: number; rejected: number } {
    const out = this.items;
    this.items = { accepted: 0, rejected: 0 };
    return out;
  }

  /** Readings dropped because no telemetry send took them in time. */
  get dropped(): number {
    return this.droppedReadings;
  }

  stop(): void {
    this.offs.forEach((off) => off());
  }
}

/**
 * The soak's faults other than kill -9 (bench/soak.ts does that one): each starts now, ends by itself after
 * a short window while items keep coming, and registers in the ledger what "recovered" means for it:
 * - unplug: socat stopped (both pty ends vanish) and restarted; recovered = the core's link `connected`;
 * - server outage / 429 storm / 5xx storm / malformed replies: a window of the server simulator's faults;
 *   recovered = the outbox owes nothing again, counted from the window's end;
 * - realtime drop: every Pusher socket closed and new ones refused for a moment; recovered = `realtime` again;
 * - disk nearly full: a ballast file below the outbox floor; recovered = in service again after it is deleted;
 * - bin full (not scheduled: bins fill with the items, and a technician empties them): recovered = its notice gone.
 * Pulled back (the recycler grabs the item back half-way) has no window: it is armed for the next item.
 */
import type { Cores } from './cores.js';
import type { SoakDisk } from './disk.js';
import type { Ledger } from './ledger.js';
import type { FaultKind } from './plan.js';
import type { World } from './world.js';

export interface FaultContext {
  world: World;
  cores: Cores;
  ledger: Ledger;
  disk: SoakDisk;
  random: () => number;
}

export class FaultInjector {
  /** One server fault at a time, so each window's end (and the outbox catching up after it) is its own. */
  private serverBusyUntil = 0;
  private diskBusy = false;
  private unplugging = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly c: FaultContext) {}

  /** Start one fault; false when it cannot start now (another of its family is still on): try it later. */
  start(kind: Exclude<FaultKind, 'kill'>): boolean {
    const { world, ledger } = this.c;
    const ms = (min: number, max: number) => Math.round(min + this.c.random() * (max - min));
    switch (kind) {
      case 'unplug':
        if (this.unplugging) return false;
        void this.unplug(ms(100, 1_200));
        break;
      case 'outage':
        if (!this.serverFree()) return false;
        world.server.outage(ms(1_500, 6_000), this.c.random() < 0.5 ? 'drop' : '503');
        this.serverWindow(kind, world.server.faults.describe().outageUntil! - Date.now());
        break;
      case 'storm_429':
        if (!this.serverFree()) return false;
        world.server.faults.add({ kind: 'status', status: 429, retryAfter: 1 });
        this.serverWindow(kind, ms(1_500, 4_000));
        break;
      case 'storm_5xx':
        if (!this.serverFree()) return false;
        for (const status of [500, 502, 503, 504]) world.server.faults.add({ kind: 'status', status, times: 3 + Math.floor(this.c.random() * 10) });
        world.server.faults.add({ kind: 'status', status: 500 });
        this.serverWindow(kind, ms(1_500, 4_000));
        break;
      case 'malformed':
        if (!this.serverFree()) return false;
        // Half the windows garble every reply; the other half only the non-deposit ones (heartbeat, config).
        if (this.c.random() < 0.5) world.server.faults.add({ kind: 'malformed', path: '' });
        else for (const path of ['/api/v1/edge/heartbeat', '/api/v1/kiosk', '/api/v2']) world.server.faults.add({ kind: 'malformed', path });
        this.serverWindow(kind, ms(1_000, 3_000));
        break;
      case 'realtime_drop': {
        const pusher = world.server.pusher;
        if (!pusher) return false;
        const refuseMs = ms(0, 2_000);
        pusher.setRefusing(true);
        pusher.dropAll();
        this.after(refuseMs, () => pusher.setRefusing(false));
        const from = Date.now() + refuseMs;
        ledger.expectRecovery(kind, from, () => Date.now() >= from && this.c.cores.view.realtime === 'realtime' && this.c.cores.view.link === 'online');
        break;
      }
      case 'pulled_back':
        world.sim.model.setFault('pulled_back', true);
        break;
      case 'disk_full':
        if (!this.c.disk.canFill || this.diskBusy) return false;
        void this.fillDisk(ms(2_000, 5_000));
        break;
    }
    ledger.count(kind);
    return true;
  }

  /** A full bin the soak found: leave it full a moment (items keep coming), then empty it as a technician would. */
  binFull(bin: 'plastic' | 'can' | 'glass'): void {
    const { world, ledger, cores } = this.c;
    ledger.count('bin_full');
    this.after(500 + this.c.random() * 2_000, () => {
      world.sim.model.setBinPercent(bin, 0);
      const from = Date.now();
      // A full bin refuses only its material and leaves a `bin_full` notice; recovered = the notice gone.
      ledger.expectRecovery('bin_full', from, () => !cores.view.notices.includes('bin_full'));
    });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.c.world.server.faults.clear();
    this.c.world.server.pusher?.setRefusing(false);
  }

  private serverFree(): boolean {
    return Date.now() >= this.serverBusyUntil;
  }

  private serverWindow(kind: string, windowMs: number): void {
    const from = Date.now();
    this.serverBusyUntil = from + windowMs + 500;
    this.c.ledger.serverWindows.push({ kind, from, to: from + windowMs });
    this.after(windowMs, () => {
      this.c.world.server.faults.clear();
      const end = Date.now();
      this.c.ledger.expectRecovery(kind, end, () => this.c.cores.view.pending === 0 && this.c.cores.view.link === 'online');
    });
  }

  private async unplug(downMs: number): Promise<void> {
    const { world, cores, ledger } = this.c;
    this.unplugging = true;
    await world.pair.stop();
    await new Promise((resolve) => this.after(downMs, () => resolve(undefined)));
    // socat starting on a machine this loaded now and then gives up; the cable is plugged in until it holds.
    for (let attempt = 1; ; attempt++) {
      try {
        await world.pair.restart();
        break;
      } catch (err) {
        if (attempt % 5 === 0) console.log(`  socat would not start (${attempt} tries): ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    this.unplugging = false;
    const from = Date.now();
    // The core may be between lives (killed meanwhile): then the next one's first connection counts.
    ledger.expectRecovery('unplug', from, () => Date.now() - from > 50 && cores.view.hw === 'connected');
  }

  private async fillDisk(windowMs: number): Promise<void> {
    const { disk, ledger, cores } = this.c;
    this.diskBusy = true;
    await disk.fill();
    await new Promise((resolve) => this.after(windowMs, () => resolve(undefined)));
    await disk.empty();
    const from = Date.now();
    ledger.expectRecovery('disk_full', from, () => cores.view.status !== 'out_of_service');
    this.diskBusy = false;
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

/**
 * Machine status from many sources. Each domain raises or clears its own out-of-service reasons (link lost,
 * bin full, camera unavailable…) and the board derives one status for the UI, so no domain needs to know
 * about the others.
 */
import type { KioskCore } from '../core/kiosk-core.js';

export type MachineState = 'starting' | 'ready' | 'busy' | 'out_of_service' | 'maintenance';

export class StatusBoard {
  private readonly reasons = new Map<string, string | undefined>();
  private readonly notices = new Map<string, string | undefined>();
  private started = false;
  private busy = false;
  private maintenance = false;

  constructor(
    private readonly core: KioskCore,
    private readonly machineName: string,
    private readonly demoMode: boolean,
  ) {}

  raise(code: string, detail?: string): void {
    this.put(this.reasons, code, detail);
  }

  clear(code: string): void {
    if (this.reasons.delete(code)) this.publish();
  }

  /** An informational notice: shown to technicians, does not take the machine out of service. */
  notice(code: string, detail?: string): void {
    this.put(this.notices, code, detail);
  }

  clearNotice(code: string): void {
    if (this.notices.delete(code)) this.publish();
  }

  /** Publishes only on a real change, so a source repeating itself (a sensor every second) costs nothing. */
  private put(entries: Map<string, string | undefined>, code: string, detail: string | undefined): void {
    if (entries.has(code) && entries.get(code) === detail) return;
    entries.set(code, detail);
    this.publish();
  }

  has(code: string): boolean {
    return this.reasons.has(code);
  }

  markStarted(): void {
    this.started = true;
    this.publish();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.publish();
  }

  setMaintenance(on: boolean): void {
    this.maintenance = on;
    this.publish();
  }

  get state(): MachineState {
    if (!this.started) return 'starting';
    if (this.maintenance) return 'maintenance';
    if (this.reasons.size > 0) return 'out_of_service';
    return this.busy ? 'busy' : 'ready';
  }

  private publish(): void {
    this.core.emit('system.status', {
      state: this.state,
      reasons: listOf(this.reasons),
      notices: listOf(this.notices),
      demoMode: this.demoMode,
      machineName: this.machineName,
    });
  }
}

function listOf(entries: Map<string, string | undefined>): Array<{ code: string; detail?: string }> {
  return [...entries.entries()].map(([code, detail]) => (detail === undefined ? { code } : { code, detail }));
}

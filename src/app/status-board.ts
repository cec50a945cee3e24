/**
 * Machine status from many sources. Each domain raises or clears its own out-of-service reasons (link lost,
 * camera unavailable, item stuck…) and the board derives one status for the UI, so no domain needs to know
 * about the others. Per-material availability (full or faulty bins, alerts stopping a material) lives in
 * `availability`, shared by hardware, monitoring and the deposit pipeline; it is published as `materials`,
 * and only when no material is accepted does it take the machine out of service (`no_material_accepted`).
 */
import type { KioskCore } from '../core/kiosk-core.js';
import { noneAccepted } from '../session/availability.js';
import { AvailabilityBook } from '../session/availability-book.js';

export const NO_MATERIAL_ACCEPTED = 'no_material_accepted';

export type MachineState = 'starting' | 'ready' | 'busy' | 'out_of_service' | 'maintenance';

export class StatusBoard {
  private readonly reasons = new Map<string, string | undefined>();
  private readonly notices = new Map<string, string | undefined>();
  private started = false;
  private busy = false;
  private maintenance = false;
  readonly availability = new AvailabilityBook();

  constructor(
    private readonly core: KioskCore,
    private readonly machineName: string,
    private readonly demoMode: boolean,
  ) {
    this.availability.onChange(() => this.publish());
  }

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
    return this.allReasons().has(code);
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
    if (this.allReasons().size > 0) return 'out_of_service';
    return this.busy ? 'busy' : 'ready';
  }

  private publish(): void {
    this.core.emit('system.status', {
      state: this.state,
      reasons: listOf(this.allReasons()),
      notices: listOf(this.notices),
      materials: this.availability.materials,
      demoMode: this.demoMode,
      machineName: this.machineName,
    });
  }

  /** The raised reasons, plus `no_material_accepted` while every material is refused (it names them). */
  private allReasons(): Map<string, string | undefined> {
    const materials = this.availability.materials;
    if (!noneAccepted(materials)) return this.reasons;
    const why = Object.entries(materials).map(([material, a]) => `${material}: ${a.reason ?? 'unknown'}`).join(', ');
    return new Map([...this.reasons, [NO_MATERIAL_ACCEPTED, why]]);
  }
}

function listOf(entries: Map<string, string | undefined>): Array<{ code: string; detail?: string }> {
  return [...entries.entries()].map(([code, detail]) => (detail === undefined ? { code } : { code, detail }));
}

/**
 * The inputs of per-material availability as they change — bin levels, bins refused by the gate, faulty bins,
 * materials stopped by alerts — and the answer (availability.ts), told to listeners only when it changes. One
 * instance lives on the status board, so hardware, monitoring and the deposit pipeline share it.
 */
import type { BinLevel, BinLevels } from '../domain/events.js';
import type { Bin } from '../domain/ports.js';
import { createLogger } from '../log/logger.js';
import { materialAvailability, type AcceptedMaterial, type MaterialAvailability, type Materials } from './availability.js';

const log = createLogger('availability');

export class AvailabilityBook {
  private bins: BinLevels | null = null;
  /** Bins the gate refused with BIN_FULL, until the controller reports their level below the threshold. */
  private readonly refused = new Set<Bin>();
  private faulty = new Set<Bin>();
  /** Material → the alert codes that stop it. */
  private readonly stopped = new Map<AcceptedMaterial, Set<string>>();
  private current: Materials = this.compute();
  private readonly listeners = new Set<(materials: Materials) => void>();

  get materials(): Materials {
    return this.current;
  }

  of(material: AcceptedMaterial): MaterialAvailability {
    return this.current[material];
  }

  onChange(listener: (materials: Materials) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  setBinLevels(levels: BinLevels): void {
    this.bins = levels;
    this.update();
  }

  /**
   * The controller reported this bin's level (not merely repeated the host's last belief, as a report for
   * another bin does): below the threshold, a BIN_FULL refusal of the gate is lifted.
   */
  binReported(bin: Bin, level: BinLevel): void {
    if (level.full || !this.refused.delete(bin)) return;
    log.info('the controller reports the refused bin below the threshold again', { bin, percent: level.percent });
    this.update();
  }

  /** The gate said BIN_FULL: refuse the bin's material until its level is reported below the threshold. */
  refuseBin(bin: Bin): void {
    if (bin === 'reject') return;
    this.refused.add(bin);
    this.update();
  }

  /**
   * A technician emptied the bin: lift a BIN_FULL refusal now instead of waiting for a level report (a real
   * controller's next report still decides whether the bin counts as full).
   */
  binEmptied(bin: Bin): void {
    if (!this.refused.delete(bin)) return;
    log.info('a technician emptied the refused bin', { bin });
    this.update();
  }

  setFaultyBins(bins: readonly Bin[]): void {
    this.faulty = new Set(bins);
    this.update();
  }

  /** An alert (by its code) stops or releases a material; several alerts may stop the same one. */
  stopMaterial(material: AcceptedMaterial, alertCode: string, stopped: boolean): void {
    const codes = this.stopped.get(material) ?? new Set<string>();
    if (stopped) codes.add(alertCode);
    else codes.delete(alertCode);
    if (codes.size > 0) this.stopped.set(material, codes);
    else this.stopped.delete(material);
    this.update();
  }

  private compute(): Materials {
    return materialAvailability({ bins: this.bins, refusedBins: this.refused, faultyBins: this.faulty, stoppedMaterials: new Set(this.stopped.keys()) });
  }

  private update(): void {
    const next = this.compute();
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }
}

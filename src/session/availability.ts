/**
 * Per-material availability: which of PET, cans and glass the machine takes right now, and why not. A full
 * or faulty bin, or a monitoring alert that stops a material, refuses only that material; the machine goes
 * out of service (`no_material_accepted`) only when none is accepted. Pure: availability-book.ts holds the
 * inputs as they change and asks this module for the answer.
 */
import type { BinLevels } from '../domain/events.js';
import type { Bin, Material } from '../domain/ports.js';

export type AcceptedMaterial = Exclude<Material, 'reject'>;
export const MATERIALS: readonly AcceptedMaterial[] = ['pet', 'can', 'glass'];
export const BIN_FOR: Record<AcceptedMaterial, Exclude<Bin, 'reject'>> = { pet: 'plastic', can: 'can', glass: 'glass' };

export type UnavailableReason = 'bin_full' | 'bin_fault' | 'stopped_by_alert';
export interface MaterialAvailability {
  accepting: boolean;
  reason: UnavailableReason | null;
}
export type Materials = Record<AcceptedMaterial, MaterialAvailability>;

export interface AvailabilityInputs {
  /** The bin levels judged against the bin-full threshold (hardware monitor); null before the first report. */
  bins: BinLevels | null;
  /** Bins the gate refused with BIN_FULL since their last level report below the threshold. */
  refusedBins: ReadonlySet<Bin>;
  /** Bins an active controller fault names. */
  faultyBins: ReadonlySet<Bin>;
  /** Materials an open monitoring alert stops (`stop_material`). */
  stoppedMaterials: ReadonlySet<AcceptedMaterial>;
}

/**
 * Which reason wins when several hold: a full bin first (the recycler understands "full", and emptying it is
 * the technician's first job), then a bin fault, then an alert.
 */
export function materialAvailability(inputs: AvailabilityInputs): Materials {
  const one = (material: AcceptedMaterial): MaterialAvailability => {
    const bin = BIN_FOR[material];
    if (inputs.bins?.bins[bin].full || inputs.refusedBins.has(bin)) return { accepting: false, reason: 'bin_full' };
    if (inputs.faultyBins.has(bin)) return { accepting: false, reason: 'bin_fault' };
    if (inputs.stoppedMaterials.has(material)) return { accepting: false, reason: 'stopped_by_alert' };
    return { accepting: true, reason: null };
  };
  return { pet: one('pet'), can: one('can'), glass: one('glass') };
}

export const noneAccepted = (materials: Materials): boolean => MATERIALS.every((m) => !materials[m].accepting);

export const allAccepting = (): Materials => materialAvailability({ bins: null, refusedBins: new Set(), faultyBins: new Set(), stoppedMaterials: new Set() });

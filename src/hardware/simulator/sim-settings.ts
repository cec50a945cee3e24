/** Items the simulator knows, movement timings, and bin sizes. */
import type { Bin } from '../../domain/ports.js';

export type ItemKind = 'pet' | 'can' | 'glass' | 'other';
export const ITEM_KINDS = ['pet', 'can', 'glass', 'other'] as const satisfies readonly ItemKind[];

/** Typical empties: a 600 ml PET bottle, a 330 ml can, a 330 ml glass bottle, something odd. */
export const ITEM_DEFAULTS: Record<ItemKind, { weightGrams: number; volumeMl: number }> = {
  pet: { weightGrams: 24, volumeMl: 600 },
  can: { weightGrams: 14, volumeMl: 330 },
  glass: { weightGrams: 230, volumeMl: 330 },
  other: { weightGrams: 60, volumeMl: 400 },
};

export interface SimTimings {
  /** Intake to a steady load-cell reading. */
  settleMs: number;
  /** Intake to the drop sensor. */
  conveyorMs: number;
  gateMs: number;
  /** Belt mode (belt.ts): the intake pushing a sorted item onto the belt, or back to the user's tray. */
  transferMs: number;
  doorMs: number;
  tareMs: number;
  /** Longest buzz the simulator actually waits out before ACKing. */
  buzzerMaxMs: number;
  /** Temperature telemetry period; 0 turns it off. */
  telemetryMs: number;
}

export const REALISTIC_TIMINGS: SimTimings = { settleMs: 400, conveyorMs: 1500, gateMs: 300, transferMs: 250, doorMs: 250, tareMs: 500, buzzerMaxMs: 200, telemetryMs: 10_000 };
export const INSTANT_TIMINGS: SimTimings = { settleMs: 0, conveyorMs: 0, gateMs: 0, transferMs: 0, doorMs: 0, tareMs: 0, buzzerMaxMs: 0, telemetryMs: 0 };

/** Bin capacity in millilitres of loose empties. */
export const DEFAULT_CAPACITY_ML: Record<Bin, number> = { plastic: 60_000, can: 40_000, glass: 40_000, reject: 10_000 };

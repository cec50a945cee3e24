/**
 * The materials a recycler can bring, their icons (drawn for the project, assets/icons/materials/), and
 * the words for what the machine takes right now ("Kaca sedang penuh — botol plastik dan kaleng tetap
 * diterima"), built from `system.status.materials` so a full bin refuses only its material, in words.
 */
import can from '../../../assets/icons/materials/can.svg';
import glass from '../../../assets/icons/materials/glass.svg';
import pet from '../../../assets/icons/materials/pet.svg';
import type { PayloadOf } from '../../../src/contract/index.js';

export const materialIds = ['pet', 'can', 'glass'] as const;
export type MaterialId = (typeof materialIds)[number];

export const materialIcons: Record<MaterialId, string> = { pet, can, glass };

export type Materials = PayloadOf<'system.status'>['materials'];
export type Availability = Materials[MaterialId];
type T = (key: string, vars?: Record<string, string | number>) => string;

export function isMaterialId(value: string): value is MaterialId {
  return (materialIds as readonly string[]).includes(value);
}

/** Every material accepted while the status has no per-material picture yet (an older core). */
export function availabilityOf(materials: Materials | undefined, id: MaterialId): Availability {
  return materials?.[id] ?? { accepting: true, reason: null };
}

/** "a, b dan c" in the recycler's language. */
export function joinWords(words: string[], t: T): string {
  if (words.length < 2) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${t('common.and')} ${words.at(-1)}`;
}

/**
 * One sentence for the materials that are refused and those still taken, or null when all are taken.
 * Refused materials are grouped by reason, so two full bins read as one clause.
 */
export function availabilitySentence(materials: Materials | undefined, t: T): string | null {
  const refused = materialIds.filter((id) => !availabilityOf(materials, id).accepting);
  if (refused.length === 0) return null;
  const byReason = new Map<string, MaterialId[]>();
  for (const id of refused) {
    const reason = availabilityOf(materials, id).reason ?? 'unknown';
    byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  }
  const clauses = [...byReason].map(([reason, ids]) => t(`availability.off.${reason}`, { materials: joinWords(ids.map((id) => t(`material.noun.${id}`)), t) }));
  const taken = materialIds.filter((id) => availabilityOf(materials, id).accepting);
  const sentence = taken.length > 0
    ? `${joinWords(clauses, t)} — ${t('availability.stillAccepted', { materials: joinWords(taken.map((id) => t(`material.noun.${id}`)), t) })}`
    : joinWords(clauses, t);
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

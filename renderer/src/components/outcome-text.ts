/**
 * An item's result in words: `outcome.<code>` from codes.json (test/contract/codes-translated.test.ts fails if
 * a code lacks one), else a generic line for a core newer than this screen — never the raw code or English.
 */
import { hasString, translate } from '../i18n/strings.js';
import type { Language } from '../store/system-slice.js';
import type { SessionItem } from '../store/session-slice.js';

export function outcomeText(language: Language, item: SessionItem): string {
  const key = `outcome.${item.outcome}`;
  if (hasString(language, key)) return translate(language, key);
  return translate(language, item.accepted ? 'session.accepted' : 'result.unknown');
}

/** The material's name for an accepted item; for a refused one the name only when the classifier knew it. */
export function materialName(language: Language, material: string): string | null {
  return hasString(language, `material.${material}`) && material !== 'reject' ? translate(language, `material.${material}`) : null;
}

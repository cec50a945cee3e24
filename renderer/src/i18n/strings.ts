/**
 * UI strings live in assets/i18n/<language>/<area>.json (Bahasa Indonesia first): `recycler` for the
 * recycler's screens, `maintenance` for the technician's, `codes` for every code the core sends (item
 * outcomes, command errors, status reasons). Both languages must have the same keys (a test checks); a
 * missing key shows the key itself rather than nothing.
 */
import type { Language } from '../store/system-slice.js';
import { useKiosk } from '../store/store.js';
import { tables } from './tables.js';

export function translate(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  const template = tables[language][key] ?? tables.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Whether a key has a string (codes from the core are looked up before falling back to a generic one). */
export function hasString(language: Language, key: string): boolean {
  return key in tables[language];
}

export const locales: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

export function useT(): (key: string, vars?: Record<string, string | number>) => string {
  const language = useKiosk((s) => s.language);
  return (key, vars) => translate(language, key, vars);
}

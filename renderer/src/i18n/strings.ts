/**
 * UI strings live in assets/i18n (one JSON per language, Bahasa Indonesia first). Both files must have the
 * same keys (a test checks); a missing key shows the key itself rather than nothing.
 */
import en from '../../../assets/i18n/en.json';
import id from '../../../assets/i18n/id.json';
import type { Language } from '../store/system-slice.js';
import { useKiosk } from '../store/store.js';

export type StringKey = keyof typeof id;
const tables: Record<Language, Record<string, string>> = { id, en };

export function translate(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  const template = tables[language][key] ?? tables.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

export const locales: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

export function useT(): (key: StringKey | (string & {}), vars?: Record<string, string | number>) => string {
  const language = useKiosk((s) => s.language);
  return (key, vars) => translate(language, key, vars);
}

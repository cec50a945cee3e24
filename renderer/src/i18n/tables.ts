/** The string tables, one per language, merged from the area files under assets/i18n/<language>/. */
import enCodes from '../../../assets/i18n/en/codes.json' with { type: 'json' };
import enMaintenance from '../../../assets/i18n/en/maintenance.json' with { type: 'json' };
import enRecycler from '../../../assets/i18n/en/recycler.json' with { type: 'json' };
import enSetup from '../../../assets/i18n/en/setup.json' with { type: 'json' };
import idCodes from '../../../assets/i18n/id/codes.json' with { type: 'json' };
import idMaintenance from '../../../assets/i18n/id/maintenance.json' with { type: 'json' };
import idRecycler from '../../../assets/i18n/id/recycler.json' with { type: 'json' };
import idSetup from '../../../assets/i18n/id/setup.json' with { type: 'json' };
import type { Language } from '../store/system-slice.js';

export const areas = ['recycler', 'maintenance', 'setup', 'codes'] as const;

export const tables: Record<Language, Record<string, string>> = {
  id: { ...idRecycler, ...idMaintenance, ...idSetup, ...idCodes },
  en: { ...enRecycler, ...enMaintenance, ...enSetup, ...enCodes },
};

/**
 * Which of the server's PIN-reply permissions each technician action needs, so the screen hides what the core
 * would refuse anyway. The core is the authority (src/app/setup-technician.ts refuses with `forbidden`); this
 * map mirrors its keys. An empty map means an offline entry or a server that sent none: everything is allowed.
 * Otherwise the map lists what the server grants, so a missing key denies — except `ifNamed` keys, which
 * MyRVM-Server never sends today (reboot_machine) and which only an explicit false denies.
 */
import { useKiosk } from '../../store/store.js';

export const ACTION_PERMISSION = {
  binEmptied: { key: 'test_hardware', ifNamed: false },
  tare: { key: 'test_hardware', ifNamed: false },
  restartApp: { key: 'reboot_machine', ifNamed: true },
} as const;

export type TechnicianAction = keyof typeof ACTION_PERMISSION;

export function isAllowed(permissions: Record<string, boolean> | null | undefined, action: TechnicianAction): boolean {
  // No map (offline entry, or the server named none): the core allows everything, so the screen does too.
  if (!permissions) return true;
  const rule = ACTION_PERMISSION[action];
  return rule.ifNamed ? permissions[rule.key] !== false : permissions[rule.key] === true;
}

export function useAllowed(action: TechnicianAction): boolean {
  return useKiosk((s) => isAllowed(s.maintenance?.permissions, action));
}

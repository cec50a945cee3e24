/**
 * Why a command was refused, as a code the UI translates (assets/i18n/<language>/codes.json, `error.<code>`).
 * The reply's `message` stays English detail for technicians and logs; a recycler only ever sees the code's
 * translation. A test fails if a code here has no string in either language.
 */
/** Why a backup, a copy to USB or a restore was refused (also the `backup.state` error code, src/contract/backup.ts). */
export const backupRefusals = [
  'backup_busy',
  'backup_failed',
  'backup_damaged',
  'backup_other_machine',
  'backup_machine_unknown',
  'backup_not_found',
  'backup_upload_failed',
  'backup_usb_failed',
] as const;

export const refusalCodes = [
  // the envelope itself (src/contract/wire.ts)
  'bad_message',
  'unknown_command',
  'invalid_request',
  'forbidden',
  'failed',
  'invalid_reply',
  // the recycler's flow
  'not_accepting',
  'session_busy',
  'intake_busy',
  'no_qr',
  'phone_login_failed',
  'no_claim_code',
  'donation_failed',
  // technician and demo tools
  'simulator_only',
  'demo_only',
  'model_update_running',
  'rollback_failed',
  'threshold_out_of_range',
  'folder_camera_only',
  'alert_refused',
  'unknown_sensor',
  'export_too_large',
  'export_busy',
  'export_usb_failed',
  'export_not_a_drive',
  'outbox_push_failed',
  ...backupRefusals,
  'outbox_held',
  'outbox_hold_failed',
  'remote_disabled',
  'remote_unsupported',
  'remote_busy',
  'remote_start_failed',
  'pin_locked',
  'pin_wrong',
  // first-run setup
  'setup_incomplete',
  // the UI's own transport (never sent by the core; the renderer raises it when the core is out of reach)
  'core_unreachable',
] as const;

export type RefusalCode = (typeof refusalCodes)[number];

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && (refusalCodes as readonly string[]).includes(value);
}

/**
 * How a refusal crosses to the renderer inside an Error's message (Electron's context bridge copies only the
 * message of a rejected promise's Error): `[reason] detail`. Both clients use these two functions.
 */
export function refusalMessage(error: { reason: RefusalCode; message: string }): string {
  return `[${error.reason}] ${error.message}`;
}

/** The reason and detail back out of an Error (or anything thrown); unknown shapes are `failed`. */
export function refusalOf(err: unknown): { reason: RefusalCode; detail: string } {
  const text = err instanceof Error ? err.message : String(err);
  const match = /^\[([a-z_]+)\] ?([\s\S]*)$/.exec(text);
  if (match && isRefusalCode(match[1])) return { reason: match[1], detail: match[2] ?? '' };
  return { reason: 'failed', detail: text };
}

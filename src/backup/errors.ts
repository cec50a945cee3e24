/** Failures of backup and restore, each with the code the screen translates (assets/i18n/<lang>/codes.json). */
export type BackupErrorCode =
  | 'backup_busy'
  | 'backup_failed'
  | 'backup_damaged'
  | 'backup_other_machine'
  | 'backup_machine_unknown'
  | 'backup_not_found'
  | 'backup_upload_failed'
  | 'backup_usb_failed';

export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function codeOf(err: unknown): BackupErrorCode {
  return err instanceof BackupError ? err.code : 'backup_failed';
}

/**
 * Outbox alarms. Two kinds: flags a technician should see (a growing backlog, parked records, a damaged
 * journal, acks that cannot be written) and conditions that take the machine out of service. The outbox
 * never refuses a credit — the item is already in the bin — so growth is bounded, and items are kept away
 * from a disk that cannot hold their credit, by not starting new sessions once the backlog or the disk
 * reaches its limit (`Outbox.canAccept()`).
 */
export type OutboxAlarm = 'backlog' | 'backlog_full' | 'disk_low' | 'write_failed' | 'ack_write_failed' | 'failed_records' | 'corrupt_records';

export interface AlarmInput {
  pending: number;
  failed: number;
  /** Damage copies in quarantine/ waiting for a technician. */
  quarantined: number;
  /** Damage was found whose bytes could not be copied to quarantine (they stay in the journal). */
  damageUnsaved: boolean;
  freeBytes: number | null;
  /** A write to the outbox failed and none has succeeded since, or the disk reserve is used up. */
  writeFailed: boolean;
  /** Records the server accepted whose ack is not on disk yet (delivery paused). */
  ackPending: number;
}

export interface AlarmLimits {
  alarmPending: number;
  maxPending: number;
  minFreeBytes: number;
}

export function outboxAlarms(input: AlarmInput, limits: AlarmLimits): OutboxAlarm[] {
  const alarms: OutboxAlarm[] = [];
  const owed = input.pending + input.failed;
  if (owed >= limits.alarmPending) alarms.push('backlog');
  if (owed >= limits.maxPending) alarms.push('backlog_full');
  if (input.freeBytes !== null && input.freeBytes < limits.minFreeBytes) alarms.push('disk_low');
  if (input.writeFailed) alarms.push('write_failed');
  if (input.ackPending > 0) alarms.push('ack_write_failed');
  if (input.failed > 0) alarms.push('failed_records');
  if (input.quarantined > 0 || input.damageUnsaved) alarms.push('corrupt_records');
  return alarms;
}

/** The alarms that stop new sessions, with the StatusBoard reason code each raises. */
export const OUT_OF_SERVICE: Partial<Record<OutboxAlarm, string>> = {
  backlog_full: 'outbox_full',
  disk_low: 'storage_low',
  write_failed: 'storage_unwritable',
  ack_write_failed: 'storage_unwritable',
};

/**
 * The alarms shown as StatusBoard notices: a technician must look, but the machine still takes items
 * safely (new credits are written and delivered as usual).
 */
export const NOTICES: Partial<Record<OutboxAlarm, string>> = {
  corrupt_records: 'outbox_damaged',
};

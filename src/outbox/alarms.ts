/**
 * Outbox alarms. Two kinds: flags a technician should see (a growing backlog, parked or corrupt records)
 * and conditions that take the machine out of service. The outbox never refuses a credit — the item is
 * already in the bin — so growth is bounded by not starting new sessions once the backlog or the disk
 * reaches its limit.
 */
export type OutboxAlarm = 'backlog' | 'backlog_full' | 'disk_low' | 'failed_records' | 'corrupt_records';

export interface AlarmInput {
  pending: number;
  failed: number;
  corrupt: number;
  freeBytes: number | null;
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
  if (input.failed > 0) alarms.push('failed_records');
  if (input.corrupt > 0) alarms.push('corrupt_records');
  return alarms;
}

/** The alarms that stop new sessions, with the StatusBoard reason code each raises. */
export const OUT_OF_SERVICE: Partial<Record<OutboxAlarm, string>> = {
  backlog_full: 'outbox_full',
  disk_low: 'storage_low',
};

/**
 * What the audit records about commands other features handle (hardware tests, alert acknowledge/resolve,
 * outbox pushes, connection and model checks, refused PINs), heard through `core.onCommandDone`, and which
 * audited actions the server knows as maintenance commands. In-process calls (remote commands from the
 * server, the technician.* handlers' own steps) are not a technician's action and are not recorded here.
 */
import type { CommandDone } from '../core/kiosk-core.js';
import type { AuditEntry, NewAuditEntry } from '../maintenance/audit-log.js';
import type { MaintenanceCommand } from '../server/schemas/kiosk.js';
import { REMOTE_ACTIONS } from './remote-commands.js';

type Detail = AuditEntry['detail'];
type Who = Pick<NewAuditEntry, 'technicianName' | 'assignmentId'>;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const field = (value: unknown, key: string): unknown => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);

/** The audit entry for a finished command, or null when it is not a technician action worth recording. */
export function auditOfCommand(done: CommandDone, who: Who | null): NewAuditEntry | null {
  if (done.context.trusted) return null;
  const failed = (detail: Detail): NewAuditEntry | null =>
    who && !done.ok ? { ...who, action: actionOf(done.name) ?? done.name, detail: { ...detail, error: done.message }, result: done.reason === 'forbidden' ? 'refused' : 'failed' } : null;
  if (done.name === 'maintenance.enter') {
    // Successful entries are recorded from the state change (with the technician's name); refusals here.
    const error = done.ok ? str(field(done.result, 'error')) : done.reason;
    return error ? { technicianName: null, assignmentId: null, action: 'maintenance_refused', detail: { error }, result: 'refused' } : null;
  }
  const action = actionOf(done.name);
  if (!action || !who) return null;
  const detail = detailOf(done);
  if (!done.ok) return failed(detail);
  const ok = field(done.result, 'ok');
  const outcome = field(done.result, 'outcome');
  const result = ok === false || outcome === 'retryable' ? 'failed' : 'ok';
  return { ...who, action, detail, result };
}

function actionOf(name: string): string | null {
  switch (name) {
    case 'hardware.test': return 'hardware_test';
    case 'monitoring.acknowledge': return 'alert_acknowledged';
    case 'monitoring.resolve': return 'alert_resolved';
    case 'outbox.push': return 'outbox_push';
    case 'server.testConnection': return 'connection_test';
    case 'detection.checkModelUpdate': return 'model_update_check';
    case 'detection.setThreshold': return 'threshold_set';
    case 'clock.syncTimezone': return 'timezone_sync';
    case 'outbox.hold': return 'outbox_hold';
    case 'backup.create': return 'backup_create';
    case 'backup.toUsb': return 'backup_to_usb';
    case 'backup.restore': return 'backup_restore';
    case 'remote.start': return 'remote_start';
    case 'remote.stop': return 'remote_stop';
    case 'export.toUsb': return 'export_usb';
    default: return null;
  }
}

function detailOf(done: CommandDone): Detail {
  const { name, request } = done;
  const result = done.ok ? done.result : undefined;
  switch (name) {
    case 'hardware.test': return { test: str(field(request, 'action')), detail: str(field(result, 'detail')) };
    case 'monitoring.acknowledge':
    case 'monitoring.resolve': return { alertId: str(field(request, 'id')), note: str(field(request, 'note')), rule: str(field(result, 'rule')) };
    case 'export.toUsb': {
      const kinds = field(request, 'kinds');
      return { kinds: Array.isArray(kinds) ? kinds.join(',') : null, dir: str(field(result, 'dir')) ?? str(field(request, 'mount')) };
    }
    case 'outbox.push': {
      const pushed = field(result, 'pushed');
      return { pushed: typeof pushed === 'number' ? pushed : null, message: str(field(result, 'message')) };
    }
    case 'detection.setThreshold': return { value: num(field(request, 'value')), server: str(field(result, 'server')) };
    case 'clock.syncTimezone': return { outcome: str(field(result, 'outcome')) };
    case 'outbox.hold': return { on: field(request, 'on') === true, reason: str(field(request, 'reason')) };
    case 'backup.restore': return { file: str(field(request, 'file')), force: field(request, 'force') === true };
    case 'backup.toUsb': return { dir: str(field(request, 'dir')) };
    case 'remote.start': return { minutes: num(field(request, 'minutes')) };
    default: return {};
  }
}

/** Hardware test → the server's command of the same meaning (the inverse of the remote commands' table). */
const HARDWARE_TO_SERVER = new Map<string, MaintenanceCommand>(
  Object.entries(REMOTE_ACTIONS).flatMap(([command, action]) => ('hardware' in action ? [[action.hardware, command as MaintenanceCommand] as const] : [])),
);

/** The MyRVM maintenance command an audited action stands for, or null when the server has none. */
export function serverCommandOf(entry: Pick<AuditEntry, 'action' | 'detail'>): MaintenanceCommand | null {
  switch (entry.action) {
    case 'hardware_test': return HARDWARE_TO_SERVER.get(String(entry.detail['test'])) ?? null;
    case 'connection_test': return 'check_connection';
    case 'model_update_check': return 'check_model_update';
    case 'restart_app': return 'reboot_edge';
    default: return null;
  }
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

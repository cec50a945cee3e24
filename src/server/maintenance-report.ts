/**
 * Report a technician's maintenance command to the server (`POST /api/v1/kiosk/maintenance/command`), for
 * the maintenance domain. Today's server only logs it and answers `status: "sent"`; it relays nothing to
 * hardware (the kiosk drives its own hardware), and `reboot_edge` is always refused with 403.
 *
 *   const r = await reportMaintenanceCommand(ctx.core, 'open_door', assignmentId);
 *   // { ok: true, requestId } | { ok: false, message, status }
 */
import type { KioskCore } from '../core/kiosk-core.js';
import type { ApiClient } from './api-client.js';
import { maintenanceCommand } from './endpoints/kiosk.js';
import type { MaintenanceCommand } from './schemas/kiosk.js';
import { serverHub } from './server-hub.js';

export type { MaintenanceCommand } from './schemas/kiosk.js';
export type MaintenanceReport = { ok: true; requestId: string } | { ok: false; message: string; status: number | null };

export async function reportMaintenanceCommandWith(
  client: ApiClient,
  command: MaintenanceCommand,
  assignmentId: number,
  params: Record<string, unknown> | null = null,
): Promise<MaintenanceReport> {
  const result = await maintenanceCommand(client, command, assignmentId, params);
  return result.ok ? { ok: true, requestId: result.data.data.request_id } : { ok: false, message: result.message, status: result.status };
}

export async function reportMaintenanceCommand(
  core: KioskCore,
  command: MaintenanceCommand,
  assignmentId: number,
  params: Record<string, unknown> | null = null,
): Promise<MaintenanceReport> {
  const link = serverHub(core).link;
  if (!link) return { ok: false, message: 'server link not started', status: null };
  return reportMaintenanceCommandWith(link.client, command, assignmentId, params);
}

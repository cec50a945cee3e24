/**
 * Reports audited technician actions the server knows (its maintenance commands) through
 * `POST /api/v1/kiosk/maintenance/command` with the assignment id from the PIN reply. An entry is marked
 * `reported` when the server answered success. A 4xx is the server's final word (reboot_edge is always 403
 * on MyRVM-Server): logged once and never retried. A network failure or 5xx waits for the next pass — when
 * the server comes back online, and every few minutes — limited to recent entries and a few per pass, one
 * pass at a time, so nothing loops.
 */
import type { ApiClient } from '../server/api-client.js';
import { maintenanceCommand } from '../server/endpoints/kiosk.js';
import type { MaintenanceCommand } from '../server/schemas/kiosk.js';
import type { AuditEntry, AuditLog } from '../maintenance/audit-log.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('technician.report');

export interface ReporterOptions {
  audit: AuditLog;
  /** The server link's client; null when there is no link (nothing is sent, entries stay unreported). */
  client: ApiClient | null;
  /** The server's command for an entry, or null when the server has none for it. */
  commandOf: (entry: AuditEntry) => MaintenanceCommand | null;
  /** Entries older than this are not retried. */
  maxAgeMs?: number;
  perPass?: number;
  now?: () => number;
}

export class TechnicianReporter {
  /** Entries the server refused (4xx) or that can never be sent: not retried in this process. */
  private readonly givenUp = new Set<string>();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly options: ReporterOptions) {}

  /** Try every pending entry once; a call during a pass runs one more pass after it, never more. */
  pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.pass();
      }
    });
    return this.running;
  }

  pending(): AuditEntry[] {
    const { audit, commandOf, maxAgeMs = 7 * 24 * 3_600_000, perPass = 20, now = Date.now } = this.options;
    const since = now() - maxAgeMs;
    return audit
      .list({ from: since, limit: 500 })
      .filter((e) => !e.reported && e.result !== 'refused' && e.assignmentId !== null && !this.givenUp.has(e.id) && commandOf(e) !== null)
      .reverse() // oldest first, as they happened
      .slice(0, perPass);
  }

  private async run(): Promise<void> {
    const { client, audit, commandOf } = this.options;
    if (!client) return;
    for (const entry of this.pending()) {
      const command = commandOf(entry)!;
      const result = await maintenanceCommand(client, command, entry.assignmentId!, { audit_id: entry.id, action: entry.action, result: entry.result, ...entry.detail });
      if (result.ok) {
        await audit.markReported(entry.id).catch((err: Error) => log.warn('could not mark an audit entry reported', { id: entry.id, error: err.message }));
      } else if (result.kind === 'http' && result.status !== null && result.status >= 400 && result.status < 500 && result.status !== 429) {
        this.givenUp.add(entry.id);
        log.warn('the server refused a maintenance command report; not retried', { id: entry.id, command, status: result.status, message: result.message });
      } else {
        // Offline, timeout, 5xx, 429: the rest would fail the same way; the next pass tries again.
        log.info('maintenance command report postponed', { id: entry.id, command, kind: result.kind, message: result.message });
        return;
      }
    }
  }
}

/**
 * The technician.* commands and the audit log (<dataDir>/maintenance/audit.jsonl) every technician action
 * lands in: these commands, the other features' technician commands (heard through core.onCommandDone, see
 * technician-audit.ts), and entering and leaving maintenance mode. Actions the server knows are reported to
 * it (technician-reporter.ts). The server's permissions from the PIN reply gate the new actions here.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandError } from '../core/kiosk-core.js';
import { AuditLog, type NewAuditEntry } from '../maintenance/audit-log.js';
import type { MaintenanceMode } from '../maintenance/maintenance-mode.js';
import type { ApiClient } from '../server/api-client.js';
import { createLogger } from '../log/logger.js';
import type { KioskContext } from './context.js';
import { CORE_VERSION } from './setup-system.js';
import { auditOfCommand, serverCommandOf } from './technician-audit.js';
import { TechnicianReporter } from './technician-reporter.js';

const log = createLogger('technician');

/** Action → the PIN reply's permission key that allows it. `ifNamed`: refused only when the map says false. */
const PERMISSION: Record<string, { key: string; ifNamed?: true }> = {
  tare: { key: 'test_hardware' },
  bin_emptied: { key: 'test_hardware' },
  // MyRVM-Server never sends reboot_machine today (it needs a column that does not exist): do not lock it out.
  restart_app: { key: 'reboot_machine', ifNamed: true },
};

export interface TechnicianDeps {
  maintenance: MaintenanceMode;
  /** The server link's client, for reporting; null without a link. */
  client: ApiClient | null;
  /** Retry period for reports that could not be sent. */
  retryMs?: number;
}

export async function setupTechnician(ctx: KioskContext, { maintenance, client, retryMs = 5 * 60_000 }: TechnicianDeps): Promise<AuditLog> {
  const { core, bus, status } = ctx;
  const audit = await AuditLog.open({ file: path.join(ctx.config.dataDir, 'maintenance', 'audit.jsonl') });
  const reporter = new TechnicianReporter({ audit, client, commandOf: serverCommandOf });
  const who = () => {
    const id = maintenance.technicianIdentity();
    return { technicianName: id?.name ?? null, assignmentId: id?.assignmentId ?? null };
  };
  const record = async (entry: NewAuditEntry) => {
    try {
      await audit.record(entry);
    } catch (err) {
      log.error('could not record a technician action', { action: entry.action, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (entry.result !== 'refused' && serverCommandOf(entry)) void reporter.pass();
  };

  /** Run one technician action: refused without its permission, audited either way. */
  const act = async <T>(action: string, detail: NewAuditEntry['detail'], run: () => Promise<{ reply: T; ok: boolean }>): Promise<T> => {
    const rule = PERMISSION[action];
    const map = maintenance.permissionMap();
    if (rule && map && (rule.ifNamed ? map[rule.key] === false : map[rule.key] !== true)) {
      await record({ ...who(), action, detail: { ...detail, permission: rule.key }, result: 'refused' });
      throw new CommandError('forbidden', `${action} needs the "${rule.key}" permission, which the server did not grant this technician`);
    }
    const identity = who(); // before running: a restart or an exit must not lose who did it
    try {
      const { reply, ok } = await run();
      await record({ ...identity, action, detail, result: ok ? 'ok' : 'failed' });
      return reply;
    } catch (err) {
      await record({ ...identity, action, detail: { ...detail, error: err instanceof Error ? err.message : String(err) }, result: 'failed' });
      throw err;
    }
  };

  /** Resolve `bin_full.<bin>` if open (in-process, so not audited twice); nothing to do without monitoring. */
  const resolveBinAlert = async (bin: string, note: string) => {
    const rule = `bin_full.${bin}`;
    const reply = await core.call('monitoring.alerts', { status: 'open', rule }).catch((err: unknown) => {
      if (err instanceof CommandError && err.reason === 'unknown_command') return null;
      throw err;
    });
    const alerts = reply?.alerts ?? [];
    for (const alert of alerts.filter((a) => a.rule === rule)) await core.call('monitoring.resolve', { id: alert.id, note });
  };

  core.handle('technician.audit', ({ from, to, limit }) => ({ entries: audit.list({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), limit: limit ?? 200 }) }));

  core.handle('technician.binEmptied', ({ bin, note }) =>
    act('bin_emptied', { bin, note: note ?? null }, async () => {
      // Closes the bin's open alert as this technician's doing, before the level drops: otherwise the next
      // reading would resolve it as the system, and the log would not say who emptied the bin.
      await resolveBinAlert(bin, note ?? 'bin emptied');
      // The serial protocol has no "bin emptied" op: a real machine's level comes from its sensor. The
      // simulator has no sensor to empty, so its level is reset here (demo only).
      const simulated = ctx.config.hardware.mode === 'simulator';
      if (simulated) await core.call('hardware.simulateFault', { fault: 'bin_full', bin, active: false });
      status.availability.binEmptied(bin);
      return { reply: { ok: true }, ok: true };
    }),
  );

  core.handle('technician.tare', () =>
    act('tare', {}, async () => {
      const test = await core.call('hardware.test', { action: 'tare' });
      const weightGrams = test.ok ? (await core.call('hardware.status', {})).weightGrams : null;
      return { reply: { ok: test.ok, weightGrams }, ok: test.ok };
    }),
  );

  core.handle('technician.restartApp', () =>
    act('restart_app', {}, async () => {
      // The same path as the server's RESTART (restart-request.ts): the host restarts once the session is idle.
      setImmediate(() => bus.emit('server.command', { id: `technician-${Date.now()}`, command: 'RESTART', params: null, source: 'heartbeat', at: new Date().toISOString() }));
      return { reply: { ok: true as const }, ok: true };
    }),
  );

  core.handle('technician.systemInfo', () => ({
    version: appVersion(),
    coreVersion: CORE_VERSION,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    uptimeSec: Math.round(process.uptime()),
    dataDir: ctx.config.dataDir,
    addresses: networkAddresses(),
  }));

  core.onDispose(
    core.onCommandDone((done) => {
      const entry = auditOfCommand(done, maintenance.technicianIdentity() ? who() : null);
      if (entry) void record(entry);
    }),
  );

  // Entering and leaving: from the state, so inactivity and expiry exits are recorded with who left.
  let signedIn: ReturnType<typeof who> | null = maintenance.technicianIdentity() ? who() : null;
  core.onDispose(
    core.subscribe((name, payload) => {
      if (name !== 'maintenance.state') return;
      const active = (payload as { active: boolean }).active;
      if (active && !signedIn) {
        signedIn = who();
        void record({ ...signedIn, action: 'maintenance_enter', detail: { permissionsFromServer: maintenance.permissionMap() !== null }, result: 'ok' });
      } else if (!active && signedIn) {
        void record({ ...signedIn, action: 'maintenance_exit', detail: {}, result: 'ok' });
        signedIn = null;
      }
    }),
  );

  core.onDispose(bus.on('server.online', () => void reporter.pass()));
  const timer = setInterval(() => void reporter.pass(), retryMs);
  timer.unref();
  core.onDispose(async () => {
    clearInterval(timer);
    await reporter.pass().catch(() => undefined);
    await audit.close();
  });
  void reporter.pass(); // entries left unreported before a restart
  return audit;
}

function networkAddresses(): Array<{ iface: string; address: string; family: 'IPv4' | 'IPv6' }> {
  return Object.entries(os.networkInterfaces()).flatMap(([iface, list]) =>
    (list ?? []).filter((a) => !a.internal).map((a) => ({ iface, address: a.address, family: a.family === 'IPv6' ? ('IPv6' as const) : ('IPv4' as const) })),
  );
}

let cachedVersion: string | null = null;

/** package.json's version: two levels up from src/app in the source tree, three from the build's dist/. */
function appVersion(): string {
  if (cachedVersion) return cachedVersion;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(here, up, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return (cachedVersion = pkg.version);
    } catch {
      // try the next level
    }
  }
  return (cachedVersion = CORE_VERSION);
}

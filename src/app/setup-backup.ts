/**
 * Backup and restore in the running kiosk (docs/backup.md): the scheduled backup, the technician's
 * backup.* commands, `backup.state` events for the progress bar, the designed upload through the server
 * link, and — called first thing at start, before any store opens — a restore a technician staged.
 */
import path from 'node:path';
import { BackupService } from '../backup/backup-service.js';
import { BackupError } from '../backup/errors.js';
import { applyPendingRestore, stageRestore } from '../backup/pending-restore.js';
import { listUsbTargets } from '../backup/usb.js';
import { CommandError } from '../core/kiosk-core.js';
import { BackupEndpoints } from '../server/endpoints/designed-backup.js';
import { loadCredentialsFile, parseCredentials, resolveCredentialsPath } from '../server/credentials.js';
import type { SecretStore } from '../storage/secret-store.js';
import type { ServerLink } from '../server/server-link.js';
import type { KioskConfig } from './config-schema.js';
import type { KioskContext } from './context.js';
import { CORE_VERSION } from './setup-system.js';

/** The serial number of the credentials this kiosk runs with (remote mode), else the link's id, else null. */
export function machineSerial(config: KioskConfig, link: ServerLink | null = null, secrets?: SecretStore): string | null {
  try {
    if (config.server.credentials) return parseCredentials(config.server.credentials, 'configuration').serialNumber;
    const file = resolveCredentialsPath(config.server.credentialsFile, config.dataDir);
    if (file && config.server.mode === 'remote') return loadCredentialsFile(file, secrets).serialNumber;
  } catch {
    // unusable credentials: the server link reports that; here the machine is just unknown
  }
  return link?.hardwareId ?? null;
}

/** Before the stores open: apply a restore staged from the maintenance screen (pending-restore.ts). */
export async function restoreStagedBackup(config: KioskConfig, secrets?: SecretStore): Promise<void> {
  await applyPendingRestore(config.dataDir, machineSerial(config, null, secrets));
}

export async function setupBackup(ctx: KioskContext, { link }: { link: ServerLink | null }): Promise<BackupService> {
  const { core, config, bus } = ctx;
  const settings = config.backup;
  const uploader = link && settings.upload ? new BackupEndpoints(link.client, () => link.state.get().rvmId, config.server.designedEndpoints) : null;
  const service = new BackupService({
    dataDir: config.dataDir,
    dir: settings.dir ? path.resolve(config.dataDir, settings.dir) : path.join(config.dataDir, 'backups'),
    keep: settings.keep,
    version: CORE_VERSION,
    machine: () => ({ serialNumber: machineSerial(config, link, ctx.secrets), name: config.machineName }),
    settings: () => config,
    uploader: uploader && { availability: () => uploader.availability(), upload: (b) => uploader.upload({ ...b, createdAt: b.manifest.createdAt }) },
    onState: (state) => core.emit('backup.state', state),
  });
  await service.init();
  core.emit('backup.state', service.state());

  const refuse = (err: unknown): never => {
    if (err instanceof BackupError) throw new CommandError(err.code, err.message);
    throw err;
  };
  core.handle('backup.status', async () => ({ ...service.state(), archives: (await service.list()).map(({ name, file, bytes, at }) => ({ name, file, bytes, at })) }));
  core.handle('backup.create', async () => {
    const made = await service.create().catch(refuse);
    return { file: made.file, bytes: made.bytes, sha256: made.sha256, files: made.manifest.files.length, upload: made.upload };
  });
  core.handle('backup.usbTargets', async () => ({ targets: await listUsbTargets() }));
  core.handle('backup.toUsb', ({ dir }) => service.toUsb(dir).catch(refuse));
  core.handle('backup.restore', async ({ file, force }) => {
    const staged = await service.exclusive('restore', () => stageRestore(file, config.dataDir, { serialNumber: machineSerial(config, link, ctx.secrets), force: force ?? false })).catch(refuse);
    // Applied at the next start (the journals are open now): the same restart path as the technician's button.
    setImmediate(() => bus.emit('server.command', { id: `restore-${Date.now()}`, command: 'RESTART', params: null, source: 'heartbeat', at: new Date().toISOString() }));
    return { staged: true as const, createdAt: staged.createdAt, machine: staged.machine, restarting: true };
  });

  // Spread over 15 minutes where a fleet shares the server (never the built-in simulator's demo).
  if (settings.enabled) service.startSchedule(settings.intervalMs, config.server.mode === 'remote' ? 15 * 60_000 : 0);
  core.onDispose(async () => {
    await service.stop();
  });
  return service;
}

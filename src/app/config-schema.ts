/**
 * The kiosk's configuration. Each domain owns its section's schema (in its own folder); this file only puts
 * them together. Every field has a default, so an empty configuration is a complete one: demo mode.
 */
import { z } from 'zod';
import { hardwareConfig } from '../hardware/config.js';
import { detectionConfig } from '../detection/config.js';
import { serverConfig } from '../server/config.js';
import { outboxConfig } from '../outbox/config.js';
import { remoteAccessConfig } from '../remote/config.js';
import { clockConfig } from '../clock/config.js';
import { maintenanceConfig } from '../maintenance/config.js';
import { monitoringConfig } from '../monitoring/config.js';
import { operatorLogConfig } from '../log/config.js';
import { backupConfig } from '../backup/config.js';
import { usbExportConfig } from './export-config.js';
import { setupConfig } from './first-run/setup-config.js';

export const uiConfig = z.object({
  /** Chromium GPU mode on the Jetson: auto, egl (force), off (software rendering). */
  gpu: z.enum(['auto', 'egl', 'off']).default('auto'),
  /** Browser host bind address; loopback unless an installer really wants a remote screen. */
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(5780),
  /**
   * Names/IPs (no scheme, no port) the browser host is also served as, besides loopback and `host`. Requests
   * naming any other host are refused; bound to 0.0.0.0 this list is what a remote screen may use.
   */
  allowedHosts: z
    .array(
      z
        .string()
        .regex(/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9.-]+)$/, 'a host name or IP address, without scheme or port')
        .refine((name) => !['0.0.0.0', '::', '[::]'].includes(name), 'a wildcard address is not a name the kiosk is served as'),
    )
    .default([]),
}).strict();

/** Points per accepted item by material (MyRVM's earlier server paid PET 10, can 12). */
export const pointsConfig = z.object({
  pet: z.number().int().nonnegative().default(10),
  can: z.number().int().nonnegative().default(12),
  glass: z.number().int().nonnegative().default(5),
}).strict();

/** How long each waiting phase of a session lasts before the machine gives up on the recycler. */
export const sessionConfig = z.object({
  waitingLoginMs: z.number().int().positive().default(120_000),
  activeIdleMs: z.number().int().positive().default(90_000),
  finishedMs: z.number().int().positive().default(15_000),
  /** The full-screen "are you still there?" prompt shows this long before `activeIdleMs` runs out. */
  stillTherePromptMs: z.number().int().nonnegative().default(20_000),
}).strict();

export const kioskConfig = z.object({
  machineName: z.string().default('RVM Demo'),
  language: z.enum(['id', 'en']).default('id'),
  /** IANA zone used until the server tells us otherwise. */
  timezone: z.string().default('Asia/Jakarta'),
  /** Where durable state lives: outbox journal, PIN lockout, downloaded models. */
  dataDir: z.string().default('.rvm-data'),
  ui: uiConfig.default(uiConfig.parse({})),
  points: pointsConfig.default(pointsConfig.parse({})),
  session: sessionConfig.default(sessionConfig.parse({})),
  hardware: hardwareConfig.default(hardwareConfig.parse({})),
  detection: detectionConfig.default(detectionConfig.parse({})),
  server: serverConfig.default(serverConfig.parse({})),
  outbox: outboxConfig.default(outboxConfig.parse({})),
  /** Remote access for a technician: off unless enabled (docs/remote-access.md). */
  remoteAccess: remoteAccessConfig.default(remoteAccessConfig.parse({})),
  clock: clockConfig.default(clockConfig.parse({})),
  maintenance: maintenanceConfig.default(maintenanceConfig.parse({})),
  monitoring: monitoringConfig.default(monitoringConfig.parse({})),
  operatorLog: operatorLogConfig.default(operatorLogConfig.parse({})),
  backup: backupConfig.default(backupConfig.parse({})),
  usbExport: usbExportConfig.default(usbExportConfig.parse({})),
  setup: setupConfig.default(setupConfig.parse({})),
}).strict();

export type KioskConfig = z.infer<typeof kioskConfig>;

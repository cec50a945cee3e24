/**
 * The kiosk's configuration. Each domain owns its section's schema (in its own folder); this file only puts
 * them together. Every field has a default, so an empty configuration is a complete one: demo mode.
 */
import { z } from 'zod';
import { hardwareConfig } from '../hardware/config.js';
import { detectionConfig } from '../detection/config.js';
import { serverConfig } from '../server/config.js';

export const uiConfig = z.object({
  /** Chromium GPU mode on the Jetson: auto, egl (force), off (software rendering). */
  gpu: z.enum(['auto', 'egl', 'off']).default('auto'),
  /** Browser host bind address; loopback unless an installer really wants a remote screen. */
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(5780),
});

export const kioskConfig = z.object({
  machineName: z.string().default('RVM Demo'),
  language: z.enum(['id', 'en']).default('id'),
  /** IANA zone used until the server tells us otherwise. */
  timezone: z.string().default('Asia/Jakarta'),
  /** Where durable state lives: outbox journal, PIN lockout, downloaded models. */
  dataDir: z.string().default('.rvm-data'),
  ui: uiConfig.default(uiConfig.parse({})),
  hardware: hardwareConfig.default(hardwareConfig.parse({})),
  detection: detectionConfig.default(detectionConfig.parse({})),
  server: serverConfig.default(serverConfig.parse({})),
});

export type KioskConfig = z.infer<typeof kioskConfig>;

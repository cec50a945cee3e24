/**
 * The one contract between the kiosk core and any UI. Every command the UI can send (request and reply)
 * and every event the core pushes (payload) is declared here, by domain. Both hosts — the Electron preload
 * and the browser host's WebSocket — carry exactly these messages; the renderer imports only types from here.
 */
import type { z } from 'zod';
import { systemCommands, systemEvents } from './system.js';
import { sessionCommands, sessionEvents } from './session.js';
import { hardwareCommands, hardwareEvents } from './hardware.js';
import { detectionCommands, detectionEvents } from './detection.js';
import { serverCommands, serverEvents } from './server.js';
import { outboxCommands, outboxEvents } from './outbox.js';
import { remoteCommands, remoteEvents } from './remote.js';
import { maintenanceCommands, maintenanceEvents } from './maintenance.js';
import { monitoringCommands, monitoringEvents } from './monitoring.js';
import { technicianCommands, technicianEvents } from './technician.js';
import { backupCommands, backupEvents } from './backup.js';
import { clockCommands } from './clock.js';
import { exportCommands, exportEvents } from './export.js';
import { setupCommands, setupEvents } from './setup.js';

export const commands = {
  ...systemCommands,
  ...sessionCommands,
  ...hardwareCommands,
  ...detectionCommands,
  ...serverCommands,
  ...outboxCommands,
  ...remoteCommands,
  ...maintenanceCommands,
  ...monitoringCommands,
  ...technicianCommands,
  ...backupCommands,
  ...clockCommands,
  ...exportCommands,
  ...setupCommands,
} as const;

export const events = {
  ...systemEvents,
  ...sessionEvents,
  ...hardwareEvents,
  ...detectionEvents,
  ...serverEvents,
  ...outboxEvents,
  ...remoteEvents,
  ...maintenanceEvents,
  ...monitoringEvents,
  ...technicianEvents,
  ...backupEvents,
  ...exportEvents,
  ...setupEvents,
} as const;

export type Commands = typeof commands;
export type Events = typeof events;
export type CommandName = keyof Commands & string;
export type EventName = keyof Events & string;
export type RequestOf<N extends CommandName> = z.input<Commands[N]['request']>;
export type ReplyOf<N extends CommandName> = z.output<Commands[N]['reply']>;
export type PayloadOf<N extends EventName> = z.output<Events[N]>;

export type { WireMessage, CommandMessage, ReplyMessage, EventMessage, ReadyMessage, ContractErrorCode } from './wire.js';
export type { KioskClient } from './client.js';

/**
 * What first-run setup knows, published as `setup.state`. `needed` is decided once at start (setupNeeded).
 * The step is derived from what is done so far, so the screen can resume where the installer left off.
 */
import type { z } from 'zod';
import type { SetupState } from '../../contract/setup.js';
import { CredentialsError, loadCredentialsFile, parseCredentials, resolveCredentialsPath, type RvmCredentials } from '../../server/credentials.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { KioskConfig } from '../config-schema.js';
import type { ConnectionCode } from './connection-test.js';
import type { PingCode } from './serial-ports.js';

export type SetupStateValue = z.infer<typeof SetupState>;

/** The credentials this configuration would start the link with, or null when there are none usable. */
export function configuredCredentials(config: KioskConfig, secrets?: SecretStore): RvmCredentials | null {
  const server = config.server;
  try {
    if (server.credentials) return parseCredentials(server.credentials, 'configuration server.credentials');
    const file = resolveCredentialsPath(server.credentialsFile, config.dataDir);
    return file ? loadCredentialsFile(file, secrets) : null;
  } catch (err) {
    if (err instanceof CredentialsError) return null;
    throw err;
  }
}

/**
 * Setup is needed when there are no credentials and demo mode was not an explicit choice: a real server
 * (server.mode "remote"), or the kiosk's own default (simulator) that nobody chose. `demoChosen` comes from the
 * host (demoModeChosen(sources)); callers without sources (tests, tools) count the config they pass as a choice.
 */
export function setupNeeded(config: KioskConfig, { demoChosen = true, secrets }: { demoChosen?: boolean; secrets?: SecretStore } = {}): boolean {
  if (config.server.mode === 'simulator' && demoChosen) return false;
  return configuredCredentials(config, secrets) === null;
}

/** Whether server.mode came from the file, the environment or the installer's settings rather than the defaults. */
export function demoModeChosen(sources: { origins: ReadonlyMap<string, string> }): boolean {
  return sources.origins.has('server.mode') || sources.origins.has('server');
}

export class FirstRunState {
  credentials: RvmCredentials | null;
  serverUrl: string | null;
  connection: { result: ConnectionCode; at: number | null } = { result: 'untested', at: null };
  serial: { path: string | null; ping: PingCode } = { path: null, ping: 'untested' };
  cameraSeen = false;
  installerPin = false;
  finished = false;

  constructor(
    readonly needed: boolean,
    config: KioskConfig,
    secrets?: SecretStore,
  ) {
    this.credentials = configuredCredentials(config, secrets);
    this.serverUrl = config.server.url || null;
  }

  get open(): boolean {
    return this.needed && !this.finished;
  }

  step(): SetupStateValue['step'] {
    if (!this.open) return 'done';
    if (!this.credentials) return 'credentials';
    if (this.connection.result === 'untested' || this.connection.result === 'unreachable' || this.connection.result === 'refused') return 'connection';
    if (this.serial.ping !== 'ok') return 'serial';
    if (!this.cameraSeen) return 'camera';
    return this.installerPin ? 'done' : 'pin';
  }

  snapshot(): SetupStateValue {
    return {
      needed: this.open,
      step: this.step(),
      credentials: { present: this.credentials !== null, serialNumber: this.credentials?.serialNumber ?? null, serverUrl: this.serverUrl },
      connection: { ...this.connection },
      serial: { ...this.serial },
      installerPin: this.installerPin,
    };
  }
}

/**
 * The setup screen's "test connection": one handshake with the imported credentials and, when accepted, one
 * heartbeat to learn whether the server has commissioned the machine. The result is a code the screen says in
 * words; nothing here touches the running link.
 */
import type { z } from 'zod';
import type { ConnectionResult } from '../../contract/setup.js';
import { ApiClient } from '../../server/api-client.js';
import type { RvmCredentials } from '../../server/credentials.js';
import { DeviceReport } from '../../server/device-report.js';
import { handshakeOnce } from '../../server/handshake-runner.js';
import { beatOnce } from '../../server/heartbeat-loop.js';
import { createHttpTransport } from '../../server/http/transport.js';
import type { KioskConfig } from '../config-schema.js';
import { CORE_VERSION } from '../setup-system.js';

export type ConnectionCode = z.infer<typeof ConnectionResult>;
const MAX_REQUEST_MS = 8_000;

export async function testServerConnection(config: KioskConfig, baseUrl: string, credentials: RvmCredentials): Promise<ConnectionCode> {
  const transport = createHttpTransport({ maxSockets: 2 });
  const timeoutMs = Math.min(config.server.requestTimeoutMs, MAX_REQUEST_MS);
  try {
    const client = new ApiClient({ baseUrl, credentials, transport, retry: { attempts: 1, factor: 2, firstDelayMs: 0, capMs: 0 }, timeoutMs });
    const report = new DeviceReport({
      hardwareId: config.server.hardwareId || credentials.serialNumber,
      fallbackName: credentials.name,
      timezone: config.timezone,
      version: CORE_VERSION,
      dataDir: config.dataDir,
    });
    const hs = await handshakeOnce(client, report.handshake());
    if (hs.kind === 'offline') return hs.status === null ? 'unreachable' : 'bad_reply';
    if (hs.kind === 'malformed') return 'bad_reply';
    if (hs.kind !== 'ok') return 'refused';
    client.setMachineUuid(hs.info.uuid);
    const hb = await beatOnce(client, report.heartbeat());
    if (hb.kind === 'ok') return 'ok';
    if (hb.kind === 'not_commissioned') return 'not_commissioned';
    if (hb.kind === 'offline') return 'unreachable';
    return hb.kind === 'malformed' ? 'bad_reply' : 'refused';
  } catch {
    return 'unreachable';
  } finally {
    await transport.close();
  }
}

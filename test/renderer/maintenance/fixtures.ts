/** Core state payloads as the maintenance screen receives them, with the fields a test cares about overridable. */
import type { PayloadOf, ReplyOf } from '../../../src/contract/index.js';

export function serverState(overrides: Partial<PayloadOf<'server.state'>> = {}): PayloadOf<'server.state'> {
  return {
    mode: 'remote',
    serverUrl: 'https://myrvm.example.id',
    link: 'online',
    realtime: 'realtime',
    realtimeDetail: 'subscribed to rvm.3f1c',
    machineUuid: '3f1c2a9e-0000-4000-8000-000000000001',
    rvmId: 12,
    serialNumber: 'RVM-202601-001',
    machineName: 'RVM Pasar Baru',
    timezone: 'Asia/Jakarta',
    lastHandshakeAt: null,
    lastHeartbeatAt: null,
    lastError: null,
    features: { timezone: 'available', rvmConfig: 'absent', sessionStatus: 'absent', telemetry: 'unknown', metrics: 'unknown', remoteAccess: 'unknown' },
    stats: { total: 10, failed: 1, avgMs: 42.4, p95Ms: 120.6 },
    ...overrides,
  };
}

export function outboxState(overrides: Partial<PayloadOf<'outbox.state'>> = {}): PayloadOf<'outbox.state'> {
  return {
    pending: 3,
    failed: 0,
    pushed: 40,
    damagedLines: 0,
    damagedCredits: 0,
    quarantined: 0,
    ackPending: 0,
    writeError: null,
    oldestPendingAt: null,
    lastPushAt: null,
    lastAttemptAt: null,
    lastError: null,
    failedAttempts: 0,
    nextAttemptAt: null,
    flushing: false,
    linkAttached: true,
    freeBytes: 12e9,
    alarms: [],
    ...overrides,
  };
}

export function pushReply(state: PayloadOf<'outbox.state'>, counts: { attempted: number; pushed: number; failed: number }): ReplyOf<'outbox.push'> {
  return { outcome: 'ok', message: null, state, ...counts };
}

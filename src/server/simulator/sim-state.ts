/**
 * Everything the simulated server remembers: the machine row, technician assignments, queued edge
 * commands, kiosk session tokens, and — for tests — every deposit and offline item it received with the
 * client id the kiosk put in, so "every record arrived, none twice" can be checked.
 */
export type AssignmentStatus = 'assigned' | 'in_progress' | 'active' | 'suspended' | 'revoked' | 'completed';

export interface Assignment {
  id: number;
  technicianName: string;
  status: AssignmentStatus;
  pin: string;
  /** Epoch ms; null = never expires. */
  pinExpiresAt: number | null;
}

export interface MachineRow {
  id: number;
  uuid: string;
  serialNumber: string;
  name: string;
  apiKey: string;
  status: 'online' | 'offline' | 'maintenance' | 'blocked' | 'suspended';
  lastPing: number | null;
  capacityPercentage: number;
}

export interface ReceivedDeposit {
  clientId: string | null;
  status: string;
  sessionId: string | null;
  data: unknown;
  imageBytes: number;
  imageType: string;
  at: number;
}

export interface ReceivedOfflineItem {
  clientId: string | null;
  sessionId: string | null;
  /** The transaction's `claim_code` (a guest session's), null when none was sent. */
  claimCode: string | null;
  type: string;
  weight: number;
  points: number;
  at: number;
}

export interface KioskSession {
  token: string;
  machineUuid: string;
  expiresAt: number;
  status: 'pending' | 'authorized';
  sessionId: string | null;
  user: { id: number; name: string; balance: number } | null;
}

export class SimState {
  readonly assignments: Assignment[] = [];
  readonly commandQueue: Array<{ action: string; timestamp: string }> = [];
  readonly deposits: ReceivedDeposit[] = [];
  readonly offlineItems: ReceivedOfflineItem[] = [];
  readonly handshakes: Array<Record<string, unknown>> = [];
  readonly heartbeats: Array<Record<string, unknown>> = [];
  readonly kioskSessions = new Map<string, KioskSession>();
  /** Every guest session id handed out by `POST /api/v1/kiosk/session/guest`, oldest first. */
  readonly guestSessions: string[] = [];
  /** Designed timezone syncs, either spelling (routes/designed-timezone-routes.ts), with the body as sent. */
  readonly timezoneSyncs: Array<{ timezone: string; method: string; at: number; spelling?: 'slash' | 'dash'; body?: Record<string, unknown> }> = [];
  readonly metrics: Array<Record<string, unknown>> = [];
  /** Designed `POST /api/v1/edge/telemetry` bodies (designed mode only). */
  readonly telemetry: Array<Record<string, unknown>> = [];
  /** Origin/Referer seen on any request: the kiosk must never send them (Sanctum CSRF trap). */
  readonly browserHeadersSeen: string[] = [];
  /** Requests per path, to check that a switched-off endpoint is no longer called. */
  readonly hits = new Map<string, number>();
  timezone = 'Asia/Jakarta';
  confidenceThreshold = 0.75;
  edgeTimezone: string | null = null;
  lastHandshakeAt: number | null = null;
  /** The handshake's policy fields besides the bin threshold (tests flip them; today's server always says false/60/0.005). */
  policy = { is_maintenance_mode: false, camera_idle_timeout_sec: 60, motor_speed_delay: 0.005 };

  constructor(readonly machine: MachineRow) {}

  /** Heartbeat gate: an assignment in one of these states lets the machine beat. */
  hasHeartbeatAssignment(): boolean {
    return this.assignments.some((a) => a.status === 'assigned' || a.status === 'in_progress' || a.status === 'active');
  }

  countHit(path: string): void {
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
  }

  hitsOn(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  /** Every client id received, deposits and offline items together, in arrival order. */
  receivedClientIds(): string[] {
    return [...this.deposits.map((d) => d.clientId), ...this.offlineItems.map((i) => i.clientId)].filter((id): id is string => id !== null);
  }

  duplicateClientIds(): string[] {
    const seen = new Set<string>();
    const dup = new Set<string>();
    for (const id of this.receivedClientIds()) (seen.has(id) ? dup : seen).add(id);
    return [...dup];
  }

  latestPendingSession(): KioskSession | undefined {
    return [...this.kioskSessions.values()].filter((s) => s.status === 'pending').at(-1);
  }
}

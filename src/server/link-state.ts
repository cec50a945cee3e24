/**
 * The link's state as the maintenance screen and status bar see it (`server.state`). Deliberately nothing
 * secret: no API key, no tokens. Being offline, unauthorized or not commissioned is shown here and is
 * not an out-of-service reason: the kiosk keeps taking items offline and the outbox delivers them later.
 */
import type { Feature, FeatureState } from './endpoints/designed.js';
import { Listeners } from './listeners.js';
import type { RequestStatsSnapshot } from './request-stats.js';

export type LinkStatus = 'unconfigured' | 'connecting' | 'online' | 'offline' | 'not_commissioned' | 'unauthorized' | 'blocked';
export type RealtimeMode = 'realtime' | 'polling';

export interface LinkSnapshot {
  mode: 'simulator' | 'remote';
  serverUrl: string;
  link: LinkStatus;
  realtime: RealtimeMode;
  realtimeDetail: string;
  machineUuid: string | null;
  rvmId: number | null;
  serialNumber: string;
  machineName: string;
  timezone: string | null;
  lastHandshakeAt: number | null;
  lastHeartbeatAt: number | null;
  lastError: string | null;
  features: Record<Feature, FeatureState>;
  stats: Omit<RequestStatsSnapshot, 'recent'>;
}

export class LinkState {
  private snapshot: LinkSnapshot;
  private readonly listeners = new Listeners<LinkSnapshot>();

  constructor(initial: LinkSnapshot) {
    this.snapshot = initial;
  }

  get(): LinkSnapshot {
    return this.snapshot;
  }

  /** Apply a change; listeners hear about it only when something actually changed. */
  patch(change: Partial<LinkSnapshot>): void {
    const next = { ...this.snapshot, ...change };
    if (JSON.stringify(next) === JSON.stringify(this.snapshot)) return;
    this.snapshot = next;
    this.listeners.emit(next);
  }

  onChange(listener: (snapshot: LinkSnapshot) => void): () => void {
    return this.listeners.add(listener);
  }
}

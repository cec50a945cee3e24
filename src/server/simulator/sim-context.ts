/** What every simulator route module shares. */
import type { PusherServer } from './pusher-server.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SimState } from './sim-state.js';

export interface SimModel {
  name: string;
  version: string;
  sha256: string;
  bytes: Buffer;
  deployedAt: number;
}

export interface SimSettings {
  /** APP_URL: the host the handshake reports for the kiosk URL and websocket. */
  publicUrl: string;
  /** Serve the designed endpoints (v2, model sync by API key, QR redeem/status); false = today's server only. */
  designed: boolean;
  kioskThrottlePerMinute: number;
  pinMaxAttempts: number;
  pinDecaySeconds: number;
  /** edge_devices.threshold_full, handed out as the handshake's policy.bin_full_threshold_percent. */
  binFullThresholdPercent: number;
  /** Laravel APP_KEY stand-in: signs the kiosk URL and the (unchecked) websocket token. */
  appSecret: string;
}

export interface SimContext {
  state: SimState;
  settings: SimSettings;
  limiter: RateLimiter;
  pusher: PusherServer | null;
  models: Map<string, SimModel>;
  now: () => number;
}

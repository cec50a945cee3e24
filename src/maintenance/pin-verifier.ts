/**
 * What maintenance mode needs from the server link: "is this PIN valid?". The server link's
 * `authenticatePin(core, pin)` (src/server/pin-auth.ts) maps `POST /api/v1/kiosk/auth/pin` — 200, 401/404,
 * 429 with `retry_after`, anything else — to exactly this shape, so the verifier is a one-liner.
 */
export type PinResult =
  | { kind: 'ok'; technicianName: string; assignmentId?: number; expiresAt?: number; permissions?: Record<string, boolean> }
  | { kind: 'wrong'; remainingAttempts?: number }
  | { kind: 'locked'; retryAfterSec: number }
  /** The PIN was never judged (server unreachable, 5xx, malformed reply): it does not count as a guess. */
  | { kind: 'unavailable'; message: string };

export type PinVerifier = (pin: string) => Promise<PinResult>;

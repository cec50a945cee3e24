/**
 * Server-time samples for clock sync. Every reply that carries the time (the heartbeat's `server_time`, or
 * else the HTTP `Date` header every Laravel reply has) becomes one sample with the local send and receive
 * instants, so the clock estimator can compensate for the round trip: offset ≈ serverTime − (sentAt+receivedAt)/2.
 * Both sources usually have one-second resolution (`resolutionMs` says so), so the estimator should weigh
 * short round trips and many samples. The shape fits src/clock/time-sample.ts: `clock.addSample(sample)`.
 */
export interface ServerTimeSample {
  /** Server time, epoch ms. */
  serverTime: number;
  /** Device Date.now() just before the request went out. */
  sentAt: number;
  /** Device Date.now() when the reply arrived. */
  receivedAt: number;
  /** 1000 for whole-second stamps (the Date header; server_time without a fraction), else 1. */
  resolutionMs: number;
  source: 'body' | 'header';
}

/** Pick the best time source of one reply: body `server_time` first, then `Date`. */
export function sampleFromReply(
  body: unknown,
  dateHeader: string | undefined,
  sentAt: number,
  receivedAt: number,
): ServerTimeSample | null {
  const fromBody = body && typeof body === 'object' ? (body as { server_time?: unknown }).server_time : undefined;
  if (typeof fromBody === 'string') {
    const t = Date.parse(fromBody);
    const resolutionMs = /\d{2}:\d{2}:\d{2}[.,]\d+/.test(fromBody) ? 1 : 1000;
    if (!Number.isNaN(t)) return { serverTime: t, sentAt, receivedAt, resolutionMs, source: 'body' };
  }
  if (dateHeader) {
    const t = Date.parse(dateHeader);
    if (!Number.isNaN(t)) return { serverTime: t, sentAt, receivedAt, resolutionMs: 1000, source: 'header' };
  }
  return null;
}

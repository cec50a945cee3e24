/**
 * One exchange with the server as evidence about the clock offset (server time − device time).
 *
 * The server stamped `serverTime` somewhere between `sentAt` and `receivedAt` (device clock), and its real
 * clock then read somewhere in [serverTime, serverTime + resolution): heartbeat `server_time` and the HTTP
 * `Date` header both drop the milliseconds. So the offset lies in
 *   [serverTime − receivedAt, serverTime + resolution − sentAt],
 * whose midpoint is the NTP estimate serverTime − (sentAt + receivedAt)/2, corrected by resolution/2, and
 * whose width (round trip + resolution) says how much the sample is worth.
 */
export interface TimeSample {
  /** Epoch ms, an ISO 8601 string (heartbeat `server_time`) or an HTTP date (`Date` header). */
  serverTime: number | string | Date;
  /** Device Date.now() when the request left and when the reply arrived. */
  sentAt: number;
  receivedAt: number;
  /** Resolution of serverTime in ms; inferred when absent (see inferResolution). */
  resolutionMs?: number;
}

export interface OffsetInterval {
  low: number;
  high: number;
  rttMs: number;
  /** Device time the sample was taken (receivedAt). */
  at: number;
}

/**
 * Whole seconds unless shown otherwise: an ISO string with a fraction is ms-precise; an epoch number that
 * is an exact multiple of 1000 almost certainly came from a whole-second stamp (1 chance in 1000 otherwise).
 */
export function inferResolution(serverTime: TimeSample['serverTime']): number {
  if (typeof serverTime === 'string') return /\d{2}:\d{2}:\d{2}[.,]\d+/.test(serverTime) ? 1 : 1000;
  const ms = serverTime instanceof Date ? serverTime.getTime() : serverTime;
  return ms % 1000 === 0 ? 1000 : 1;
}

export function serverTimeMs(serverTime: TimeSample['serverTime']): number {
  if (typeof serverTime === 'number') return serverTime;
  if (serverTime instanceof Date) return serverTime.getTime();
  return Date.parse(serverTime); // ISO 8601 and RFC 7231 (HTTP Date) both parse
}

/** The offset interval a sample proves, or a reason it proves nothing. */
export function sampleInterval(sample: TimeSample, maxRttMs: number): OffsetInterval | string {
  const server = serverTimeMs(sample.serverTime);
  if (!Number.isFinite(server)) return `unreadable server time ${JSON.stringify(sample.serverTime)}`;
  if (!Number.isFinite(sample.sentAt) || !Number.isFinite(sample.receivedAt)) return 'missing send/receive times';
  const rttMs = sample.receivedAt - sample.sentAt;
  if (rttMs < 0) return 'negative round trip (device clock stepped during the request)';
  if (rttMs > maxRttMs) return `round trip ${rttMs} ms is too slow to trust`;
  const resolution = sample.resolutionMs ?? inferResolution(sample.serverTime);
  return { low: server - sample.receivedAt, high: server + resolution - sample.sentAt, rttMs, at: sample.receivedAt };
}

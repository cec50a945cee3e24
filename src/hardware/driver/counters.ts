/** Link counters for the maintenance screen. Monotonic for the life of the driver; never reset on reconnect. */
export interface LinkCounters {
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Noise, truncated, oversized, bad-checksum and unparseable frames, all dropped. */
  malformed: number;
  naks: number;
  /** Attempts that got no reply in time (each retry that times out counts). */
  timeouts: number;
  retries: number;
  reconnects: number;
  /** Replies that matched no command in flight (late answers to a timed-out attempt). */
  staleReplies: number;
  /** Gaps in the controller's event numbering: events lost to corruption. */
  missedFrames: number;
}

export function zeroCounters(): LinkCounters {
  return { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, malformed: 0, naks: 0, timeouts: 0, retries: 0, reconnects: 0, staleReplies: 0, missedFrames: 0 };
}

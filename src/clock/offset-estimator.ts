/**
 * Offset estimate from recent samples, NTP-style: the narrowest intervals (lowest round trip) are trusted
 * first, and each further sample narrows the estimate where it agrees (interval intersection, as in
 * Marzullo's algorithm). Several whole-second server stamps taken at different phases therefore pin the
 * offset down well below a second, while one slow or odd sample cannot widen or drag it.
 *
 * A sample that contradicts the estimate by more than the step threshold is held back; only a second one
 * agreeing with it is taken as proof that a clock was stepped, and then the window restarts from those two.
 * A single bogus server reply thus changes nothing.
 */
import { sampleInterval, type OffsetInterval, type TimeSample } from './time-sample.js';

export interface EstimatorOptions {
  maxSamples: number;
  sampleMaxAgeMs: number;
  maxRttMs: number;
  stepThresholdMs: number;
}

export interface OffsetEstimate {
  offsetMs: number;
  /** Half the width of the final interval: the true offset is within ± this. */
  uncertaintyMs: number;
  /** Samples that agreed and shaped the estimate. */
  used: number;
  /** Device time of the newest sample. */
  lastSampleAt: number;
}

export type AddResult = { accepted: true; restarted: boolean } | { accepted: false; reason: string };

export class OffsetEstimator {
  private samples: OffsetInterval[] = [];
  private suspect: OffsetInterval | null = null;

  constructor(private readonly options: EstimatorOptions) {}

  add(sample: TimeSample): AddResult {
    const interval = sampleInterval(sample, this.options.maxRttMs);
    if (typeof interval === 'string') return { accepted: false, reason: interval };
    const current = this.estimate(interval.at);
    if (current && distance(interval, current) > this.options.stepThresholdMs) {
      if (this.suspect && overlapsWithin(this.suspect, interval, this.options.stepThresholdMs)) {
        this.samples = [this.suspect, interval];
        this.suspect = null;
        return { accepted: true, restarted: true };
      }
      this.suspect = interval;
      return { accepted: false, reason: 'contradicts the current estimate; waiting for a second sample to confirm' };
    }
    this.suspect = null;
    this.samples.push(interval);
    if (this.samples.length > this.options.maxSamples) this.samples.shift();
    return { accepted: true, restarted: false };
  }

  /** The device clock itself jumped by `deltaMs`: every stored offset moves the opposite way. */
  shift(deltaMs: number): void {
    const move = (i: OffsetInterval) => ({ ...i, low: i.low - deltaMs, high: i.high - deltaMs, at: i.at + deltaMs });
    this.samples = this.samples.map(move);
    if (this.suspect) this.suspect = move(this.suspect);
  }

  estimate(deviceNow: number): OffsetEstimate | null {
    if (this.samples.length === 0) return null;
    // Old samples stop shaping the estimate, but the newest one is kept as the best evidence left.
    const recent = this.samples.filter((s) => deviceNow - s.at <= this.options.sampleMaxAgeMs);
    const fresh = recent.length > 0 ? recent : [this.samples.at(-1)!];
    const byWidth = [...fresh].sort((a, b) => a.high - a.low - (b.high - b.low));
    let low = byWidth[0]!.low;
    let high = byWidth[0]!.high;
    let used = 1;
    for (const s of byWidth.slice(1)) {
      const l = Math.max(low, s.low);
      const h = Math.min(high, s.high);
      if (l > h) continue; // disagrees (drift, or a bad sample): the narrower evidence wins
      low = l;
      high = h;
      used += 1;
    }
    return { offsetMs: (low + high) / 2, uncertaintyMs: (high - low) / 2, used, lastSampleAt: Math.max(...fresh.map((s) => s.at)) };
  }
}

function distance(interval: OffsetInterval, estimate: OffsetEstimate): number {
  const low = estimate.offsetMs - estimate.uncertaintyMs;
  const high = estimate.offsetMs + estimate.uncertaintyMs;
  return Math.max(0, interval.low - high, low - interval.high);
}

function overlapsWithin(a: OffsetInterval, b: OffsetInterval, slack: number): boolean {
  return Math.max(a.low, b.low) - Math.min(a.high, b.high) <= slack;
}

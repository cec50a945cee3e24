/**
 * Today's figures for the summary: items by material, rejects and points, counted from the items the
 * session shows (each item id once) and kept in `tally.json` so a restart does not zero them. The day is the
 * machine's local day; `since` says when counting began (start-up or midnight), so a screen never claims
 * more than was seen. The file is written after each item (atomically); the credits themselves are the
 * outbox's business, so a tally lost to a crash costs a figure, never a credit.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import { replaceFileAtomic } from '../storage/durable-fs.js';

const log = createLogger('monitoring.tally');

const TallyFile = z.object({
  day: z.string(),
  since: z.number(),
  items: z.object({ pet: z.number(), can: z.number(), glass: z.number() }),
  rejected: z.number(),
  points: z.number(),
  seen: z.array(z.string()),
});
type TallyData = z.infer<typeof TallyFile>;

export interface TallyItem {
  id: string;
  material: string;
  accepted: boolean;
  points: number;
}

export interface TallySummary {
  day: string;
  since: number;
  items: { pet: number; can: number; glass: number };
  accepted: number;
  rejected: number;
  points: number;
  /** Rejected ÷ all items judged today, 0 with none. */
  rejectRate: number;
}

export class DailyTally {
  private seen: Set<string>;
  private writing: Promise<void> | null = null;
  private dirty = false;

  private constructor(
    private readonly file: string,
    private data: TallyData,
    private readonly dayOf: (ms: number) => string,
    private readonly now: () => number,
  ) {
    this.seen = new Set(data.seen);
  }

  /** `dayOf` maps epoch ms to the machine's local date (YYYY-MM-DD). */
  static async open(file: string, dayOf: (ms: number) => string, now: () => number = Date.now): Promise<DailyTally> {
    const stored = await readFile(file, 'utf8')
      .then((text) => TallyFile.parse(JSON.parse(text)))
      .catch(() => null);
    const today = dayOf(now());
    return new DailyTally(file, stored && stored.day === today ? stored : fresh(today, now()), dayOf, now);
  }

  /** Count an item once; true when it was new. */
  add(item: TallyItem): boolean {
    this.rollover();
    if (this.seen.has(item.id)) return false;
    this.seen.add(item.id);
    this.data.seen.push(item.id);
    if (item.accepted && (item.material === 'pet' || item.material === 'can' || item.material === 'glass')) {
      this.data.items[item.material] += 1;
      this.data.points += item.points;
    } else if (!item.accepted) this.data.rejected += 1;
    this.save();
    return true;
  }

  summary(): TallySummary {
    this.rollover();
    const { day, since, items, rejected, points } = this.data;
    const accepted = items.pet + items.can + items.glass;
    const judged = accepted + rejected;
    return { day, since, items: { ...items }, accepted, rejected, points, rejectRate: judged === 0 ? 0 : rejected / judged };
  }

  /** Resolves once the latest figures are on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private rollover(): void {
    const today = this.dayOf(this.now());
    if (today === this.data.day) return;
    this.data = fresh(today, this.now());
    this.seen = new Set();
    this.save();
  }

  private save(): void {
    if (this.writing) {
      this.dirty = true;
      return;
    }
    this.writing = (async () => {
      do {
        this.dirty = false;
        await replaceFileAtomic(this.file, JSON.stringify(this.data)).catch((err: unknown) => log.warn('could not save the daily tally', { error: String(err) }));
      } while (this.dirty);
      this.writing = null;
    })();
  }
}

function fresh(day: string, since: number): TallyData {
  return { day, since, items: { pet: 0, can: 0, glass: 0 }, rejected: 0, points: 0, seen: [] };
}

/** YYYY-MM-DD of `ms` in `timezone` (an IANA zone; falls back to UTC when the zone is unknown). */
export function localDay(ms: number, timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

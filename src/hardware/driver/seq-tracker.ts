/**
 * Follows the controller's frame numbers: drops repeats (a DROP event is re-sent until we confirm it, and a
 * repeat must not credit twice) and counts gaps (frames lost to corruption). Numbers run 1..65535 and wrap;
 * the controller starts from a random number at boot so a reboot whose BOOT frame was lost cannot replay
 * numbers we still remember.
 */
const REMEMBERED = 64;
/** A forward jump larger than this is a restart or a stray, not a gap worth counting. */
const MAX_GAP = 1000;

export class SeqTracker {
  private last: number | null = null;
  private readonly recent: number[] = [];

  reset(): void {
    this.last = null;
    this.recent.length = 0;
  }

  /** False when `seq` was already seen (a repeat). */
  accept(seq: number, onMissed: (count: number) => void): boolean {
    if (this.recent.includes(seq)) return false;
    this.recent.push(seq);
    if (this.recent.length > REMEMBERED) this.recent.shift();
    if (this.last === null) {
      this.last = seq;
      return true;
    }
    let distance = seq - this.last;
    if (distance <= 0) distance += 65535;
    if (distance < MAX_GAP) {
      if (distance > 1) onMissed(distance - 1);
      this.last = seq;
    }
    return true;
  }
}

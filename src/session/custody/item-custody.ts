/**
 * Item custody: the link between "this item goes to that bin" and "this item earned a credit", kept across
 * crashes, power cuts and link losses.
 *
 *   pipeline ── open(record) ──► journal (fsync) ── sortTo(bin, itemId) ──► controller
 *   controller ── DROP <bin> <itemId> ──► onDrop ──► CreditStore.record(id = itemId) (fsync) ──► close(credited)
 *   restart / link up ── reconcile(): for each open record, WHERE <itemId> ──► credit | close | wait
 *
 * Rules (docs/reliability.md, "Item custody"):
 * - a DROP counts only when it names an item whose record is open, and only for that record's bin; a DROP
 *   naming nothing, an unknown id, a closed id (a repeat or a replay, however late) or another bin credits nothing;
 * - the credit's id is the item id, and the CreditStore ignores an id it already holds or has delivered, so a
 *   crash between "credit written" and "record closed" cannot make a second credit;
 * - a record open after a restart is settled by what the controller says: dropped into its bin → credited;
 *   in transit → left open (its DROP, repeated until confirmed, credits it); unknown → closed, not credited;
 *   a controller that cannot say (the legacy firmware) → closed, not credited, and an operator notice names
 *   the item, its material and bin;
 * - a DROP into another bin than the record's credits nothing either; for an item being settled now it makes
 *   custody ask the controller at once (WHERE), and only the controller's answer closes the record `wrong_bin`.
 */
import type { Bin, CreditStore, CustodyOutcome, CustodyRecord, ItemCustody, MachinePort, MachineTracking } from '../../domain/ports.js';
import { createLogger } from '../../log/logger.js';
import type { CloseOutcome, CustodyStore } from './custody-store.js';

const log = createLogger('custody');

export interface CustodyOptions {
  store: CustodyStore;
  machine: MachinePort;
  tracking: MachineTracking;
  credits: CreditStore;
  /**
   * An item custody did not credit although it may be in a bin (the controller cannot confirm it, or it
   * went to another bin): an operator-readable line naming the item, material and bin.
   */
  onUnconfirmed?: (detail: string) => void;
  /**
   * The controller says an item dropped into another bin than it was sorted to (not credited): a line naming
   * the item and both bins, for a technician to sort out the bin.
   */
  onWrongBin?: (detail: string) => void;
  /** After a reconcile left items in transit, ask the controller again this often. Default 8 s. */
  recheckMs?: number;
}

export interface ReconcileReport {
  checked: number;
  credited: number;
  closed: number;
  /** Still open: in transit, or the controller could not be asked. */
  open: number;
}

export class Custody implements ItemCustody {
  /** Images of items opened by this process, kept until their record closes (a reconciled credit has none). */
  private readonly images = new Map<string, Buffer>();
  /** Items a settle() in this process is still looking after: reconciliation leaves them alone. */
  private readonly live = new Set<string>();
  private readonly crediting = new Map<string, Promise<CustodyOutcome>>();
  private readonly creditWaiters = new Map<string, (outcome: CustodyOutcome | null) => void>();
  /** Open records the controller last said were still on their way. */
  private readonly inTransit = new Set<string>();
  private reconciling: Promise<ReconcileReport> | null = null;
  private reconcileAgain = false;
  private recheck: NodeJS.Timeout | null = null;
  private readonly offDrop: () => void;
  private disposed = false;

  constructor(private readonly options: CustodyOptions) {
    this.offDrop = options.machine.on('itemDropped', (bin, itemId) => this.onDrop(bin, itemId));
  }

  /** Records opened and not yet closed (for a status line and tests). */
  get openCount(): number {
    return this.options.store.openRecords().length;
  }

  async open(record: CustodyRecord, image?: Buffer): Promise<void> {
    await this.options.store.open(record);
    this.live.add(record.itemId);
    if (image) this.images.set(record.itemId, image);
  }

  async settle(itemId: string, timeoutMs: number): Promise<CustodyOutcome> {
    try {
      const record = this.record(itemId);
      if (!record) return this.outcomeOfClosed(itemId);
      const credited = await this.waitForCredit(itemId, timeoutMs);
      const outcome = credited ?? (await this.ask(itemId));
      // Left open (still moving, link down, disk refused the credit): look again later, not only at the next link-up.
      if (outcome.kind === 'unconfirmed' || outcome.kind === 'storage_error') this.scheduleRecheck();
      return outcome;
    } catch (err) {
      // Nothing here may throw at the pipeline: an unexpected failure leaves the record open for reconciliation.
      log.error('custody could not settle an item; left open for reconciliation', { itemId, error: String(err) });
      return { kind: 'unconfirmed', detail: String(err) };
    } finally {
      this.live.delete(itemId);
    }
  }

  /**
   * Settle every open record this process is not already looking after, by asking the controller. Runs one
   * at a time; a call during a run makes one more run after it. Call at start-up and on every link-up.
   */
  reconcile(): Promise<ReconcileReport> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    const run = (async () => {
      let report: ReconcileReport;
      do {
        this.reconcileAgain = false;
        report = await this.reconcileOnce();
      } while (this.reconcileAgain && !this.disposed);
      return report;
    })().finally(() => (this.reconciling = null));
    this.reconciling = run;
    return run;
  }

  /** Whether an open record is waiting for a drop that is still on its way (so the intake's item may be it). */
  get hasItemInTransit(): boolean {
    return this.inTransit.size > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.offDrop();
    if (this.recheck) clearTimeout(this.recheck);
    for (const resolve of this.creditWaiters.values()) resolve({ kind: 'unconfirmed', detail: 'custody stopped' });
    this.creditWaiters.clear();
  }

  private record(itemId: string): CustodyRecord | undefined {
    return this.options.store.find(itemId);
  }

  private outcomeOfClosed(itemId: string): CustodyOutcome {
    const closed = this.options.store.closedOutcome(itemId);
    return closed === 'credited' ? { kind: 'credited' } : { kind: 'not_dropped', detail: `custody record ${closed ?? 'missing'}` };
  }

  private onDrop(bin: Bin, itemId: string | undefined): void {
    if (itemId === undefined) {
      // A return to the user (reject) names no item; any other unnamed DROP cannot be tied to a custody record.
      if (bin !== 'reject') log.warn('a DROP that names no item: nothing credited (a credit needs the item id from its SORT)', { bin });
      return;
    }
    const record = this.record(itemId);
    if (!record) {
      const closed = this.options.store.closedOutcome(itemId);
      if (closed) log.info('a DROP for an item already settled: confirmed and ignored (a repeat or a replay)', { itemId, bin, closed });
      else log.warn('a DROP for an item not in custody: ignored (forged, or older than the journal)', { itemId, bin });
      return;
    }
    if (bin !== record.bin) {
      log.warn('a DROP into another bin than the item was sent to: not credited; asking the controller', { itemId, expected: record.bin, got: bin });
      // Stop waiting for a drop into the right bin: settle() asks the controller now, whose answer decides.
      this.creditWaiters.get(itemId)?.(null);
      return;
    }
    void this.credit(record);
  }

  /**
   * Write the credit (id = item id), then close the record; one run per item however many confirmations
   * come. The outcome is given as soon as the credit is durable: the close follows, and a crash before it
   * is durable only makes the next reconciliation confirm the item again, which the store ignores (same id).
   */
  private credit(record: CustodyRecord): Promise<CustodyOutcome> {
    const running = this.crediting.get(record.itemId);
    if (running) return running;
    // Held until the record is closed, so a confirmation arriving meanwhile joins this run.
    const release = () => this.crediting.delete(record.itemId);
    // Started after it is registered below, so even a store that throws at once releases the entry.
    const work = Promise.resolve().then(async (): Promise<CustodyOutcome> => {
      const image = this.images.get(record.itemId);
      try {
        await this.options.credits.record({
          id: record.itemId,
          sessionId: record.sessionId,
          ...(record.claimCode ? { claimCode: record.claimCode } : {}),
          ...(record.serverSessionId ? { serverSessionId: record.serverSessionId } : {}),
          material: record.material,
          points: record.points,
          weightGrams: record.weightGrams,
          confidence: record.confidence,
          at: record.at,
          ...(image ? { image } : {}),
        });
      } catch (err) {
        release();
        const detail = err instanceof Error ? err.message : String(err);
        log.error('the item reached its bin but its credit could not be stored; custody stays open and retries at reconciliation', { itemId: record.itemId, error: detail });
        return { kind: 'storage_error', detail };
      }
      this.inTransit.delete(record.itemId);
      log.info('item credited', { itemId: record.itemId, material: record.material, bin: record.bin, points: record.points });
      void this.closeRecord(record.itemId, 'credited').finally(release);
      return { kind: 'credited' };
    });
    this.crediting.set(record.itemId, work);
    void work.then((outcome) => {
      const waiter = this.creditWaiters.get(record.itemId);
      if (waiter) waiter(outcome);
    });
    return work;
  }

  private waitForCredit(itemId: string, timeoutMs: number): Promise<CustodyOutcome | null> {
    const running = this.crediting.get(itemId);
    if (running) return running;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), Math.max(0, timeoutMs));
      const finish = (outcome: CustodyOutcome | null) => {
        clearTimeout(timer);
        if (this.creditWaiters.get(itemId) === finish) this.creditWaiters.delete(itemId);
        resolve(outcome);
      };
      this.creditWaiters.set(itemId, finish);
    });
  }

  /** Ask the controller where an open item is, and act on the answer. */
  private async ask(itemId: string): Promise<CustodyOutcome> {
    const record = this.record(itemId);
    if (!record) return this.outcomeOfClosed(itemId);
    const running = this.crediting.get(itemId);
    if (running) return running;
    let where;
    try {
      where = await this.options.tracking.whereIs(itemId);
    } catch (err) {
      const detail = `the controller could not be asked (${err instanceof Error ? err.message : String(err)}); kept open until it can`;
      log.warn('custody cannot confirm an item yet', { itemId, detail });
      return { kind: 'unconfirmed', detail };
    }
    // The answer may have crossed a DROP that settled the record meanwhile.
    if (!this.record(itemId)) return this.crediting.get(itemId) ?? this.outcomeOfClosed(itemId);
    const what = `item ${itemId} (${record.material} → ${record.bin}, ${record.points} points, session ${record.sessionId}, ${record.at})`;
    if (where === null) {
      // The legacy firmware can neither name items nor say where one went: never credit what nobody confirmed.
      const detail = `${what} could not be confirmed: the controller cannot report drops by item; NOT credited — check the ${record.bin} bin`;
      await this.closeUnconfirmed(record, 'unconfirmed', detail);
      return { kind: 'not_dropped', detail };
    }
    switch (where.state) {
      case 'dropped':
        if (where.bin === record.bin) return this.credit(record);
        {
          const detail = `${what} went into the ${where.bin} bin instead; NOT credited — check the ${where.bin} bin`;
          await this.closeUnconfirmed(record, 'wrong_bin', detail);
          return { kind: 'wrong_bin', bin: where.bin, detail };
        }
      case 'transit':
        this.inTransit.add(itemId);
        return { kind: 'unconfirmed', detail: `${what} is still on its way; credited when its drop is reported` };
      case 'unknown':
        this.inTransit.delete(itemId);
        await this.closeRecord(itemId, 'not_dropped');
        log.info('the controller has no drop for this item: custody closed, nothing credited', { itemId, material: record.material, bin: record.bin });
        return { kind: 'not_dropped', detail: `the controller has no drop for ${what}` };
    }
  }

  private async closeUnconfirmed(record: CustodyRecord, outcome: CloseOutcome, detail: string): Promise<void> {
    this.inTransit.delete(record.itemId);
    log.error(`custody: ${detail}`, { itemId: record.itemId, material: record.material, bin: record.bin, outcome });
    if (outcome === 'wrong_bin' && this.options.onWrongBin) this.options.onWrongBin(detail);
    else this.options.onUnconfirmed?.(detail);
    await this.closeRecord(record.itemId, outcome);
  }

  private async closeRecord(itemId: string, outcome: CloseOutcome): Promise<void> {
    this.images.delete(itemId);
    try {
      await this.options.store.close(itemId, outcome);
    } catch (err) {
      // The record stays open on disk: the next reconciliation settles it again, and the CreditStore's id
      // check keeps a credited item from being credited twice.
      log.error('could not journal the end of a custody record; it will be reconciled again', { itemId, outcome, error: String(err) });
    }
  }

  private async reconcileOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: 0, credited: 0, closed: 0, open: 0 };
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = null;
    for (const record of this.options.store.openRecords()) {
      if (this.disposed) break;
      if (this.live.has(record.itemId)) continue;
      report.checked += 1;
      const outcome = await this.ask(record.itemId);
      if (outcome.kind === 'credited') report.credited += 1;
      else if (outcome.kind === 'not_dropped' || outcome.kind === 'wrong_bin') report.closed += 1;
      else report.open += 1;
    }
    if (report.checked > 0) log.info('custody reconciled with the controller', { ...report });
    if (report.open > 0) this.scheduleRecheck();
    return report;
  }

  private scheduleRecheck(): void {
    if (this.disposed || this.recheck) return;
    this.recheck = setTimeout(() => {
      this.recheck = null;
      void this.reconcile();
    }, this.options.recheckMs ?? 8_000);
    this.recheck.unref();
  }
}

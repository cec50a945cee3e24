/**
 * A small physical model of the machine behind the controller: intake with an IR beam, a load cell with
 * noise, a conveyor, a sorting gate, bins that fill by item volume, a door lock, a temperature sensor, and
 * injectable faults. Movements take the configured time (zero for fast tests). It knows nothing of bytes;
 * controller-simulator.ts puts it on the wire.
 *
 * Items sorted with an id (SORT, protocol 2) carry it to their DROP, and the controller remembers the ids
 * of the last RECENT_DROPS drops so a host that reconnects can ask (WHERE) what became of an item. A move
 * with an item on the belt is finished even when the host goes quiet: the item ends in its bin and the DROP
 * waits for a host, instead of the item stopping half-way.
 *
 * With a belt of more than one place (protocol 3, belt.ts) a SORT pushes the item off the intake onto the belt
 * and is ACKed once the intake is clear, so the next item can come in while this one rides to its bin; a
 * hand-back (SORT to reject) pushes the item back out to the tray without touching the belt. A belt of one
 * place is the protocol 2 machine: the item stays in the intake until it drops, one item at a time.
 */
import type { Bin } from '../../domain/ports.js';
import { BINS, whereaboutsData, type ControllerEvent, type ItemWhereabouts, type MachineCommand, type Reply, type SettingKey } from '../protocol/messages.js';
import { Belt } from './belt.js';
import { ITEM_DEFAULTS, type ItemKind, type SimTimings } from './sim-settings.js';

export type ModelFault = 'jam' | 'sensor_stuck' | 'overcurrent' | 'pulled_back' | 'wrong_bin' | 'return_blocked';

/**
 * Faults of the world around the controller that it cannot see or report (no FAULT event, not in STAT):
 * - `pulled_back`: the user grabs the next sorted item back half-way (once);
 * - `wrong_bin`: the gate lands one bin off for the next sorted item (a worn gate), so it drops elsewhere (once);
 * - `return_blocked`: the reject chute is blocked: every move to `reject` is refused (NAK CHUTE_BLOCKED)
 *   until cleared, so a hand-back fails.
 */
const SILENT_FAULTS: ReadonlySet<ModelFault> = new Set(['pulled_back', 'wrong_bin', 'return_blocked']);
/** Where a gate one position off sends an item (the `wrong_bin` fault). */
const NEIGHBOUR: Record<Bin, Bin> = { plastic: 'can', can: 'glass', glass: 'plastic', reject: 'reject' };

export interface SimItem {
  kind: ItemKind;
  weightGrams: number;
  volumeMl: number;
  /** The host's id for this item, from the SORT that sent it on its way. */
  tag?: string;
}

/** How many dropped item ids the controller remembers for WHERE (a small ring in the firmware's RAM). */
export const RECENT_DROPS = 256;

/** An insertion the machine cannot take right now; the message is meant for the demo UI. */
export class InsertRefused extends Error {}

const ACK = (data: Record<string, string> = {}): Reply => ({ ok: true, data });
const NAK = (code: string): Reply => ({ ok: false, code });

export class MachineModel {
  intake: SimItem | null = null;
  conveyorRunning = false;
  gate: Bin = 'plastic';
  doorLocked = false;
  lightsOn = false;
  readonly fillMl: Record<Bin, number> = { plastic: 0, can: 0, glass: 0, reject: 0 };
  readonly faults = new Set<ModelFault>();
  temperatureC = 31;
  private rawGrams = 0;
  private zeroGrams = 0;
  private trip = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Parameters the host set (SET); a firmware keeps them in RAM, so a reboot forgets them (see forgetDrops). */
  readonly settings: Partial<Record<SettingKey, number>> = {};
  /** Item id → bin of the last RECENT_DROPS tagged drops, oldest first. */
  private readonly recentDrops = new Map<string, Bin>();
  /** Items riding to their bins (belt mode only). */
  private readonly belt: Belt<SimItem>;

  constructor(
    private readonly timings: SimTimings,
    private readonly capacityMl: Record<Bin, number>,
    private readonly emit: (event: ControllerEvent) => void,
    private readonly random: () => number = Math.random,
    /** Items the conveyor carries at once; 1 = one item at a time (protocol 2). */
    beltPlaces = 1,
  ) {
    this.belt = new Belt<SimItem>(Math.max(1, Math.floor(beltPlaces)), timings.conveyorMs, ({ item, bin }) => this.land(item, bin));
  }

  /** True when sorted items ride a belt of several places (protocol 3). */
  get pipelined(): boolean {
    return this.belt.capacity > 1;
  }

  insertItem(kind: ItemKind, weightGrams?: number): SimItem {
    if (this.doorLocked) throw new InsertRefused('the intake door is locked');
    if (this.faults.has('sensor_stuck')) throw new InsertRefused('the intake sensor is stuck');
    if (this.intake) throw new InsertRefused('an item is already in the intake');
    const item: SimItem = { kind, weightGrams: weightGrams ?? ITEM_DEFAULTS[kind].weightGrams, volumeMl: ITEM_DEFAULTS[kind].volumeMl };
    this.intake = item;
    this.emit({ type: 'item', present: true });
    this.after(this.timings.settleMs, () => {
      if (this.intake !== item) return;
      this.rawGrams += item.weightGrams;
      this.emitWeight();
    });
    return item;
  }

  /** Carry out a command; resolves to the ACK/NAK once the movement is done. */
  execute(command: MachineCommand): Promise<Reply> {
    switch (command.op) {
      case 'ping': return Promise.resolve(ACK());
      case 'status': return Promise.resolve(ACK(this.statusData()));
      case 'lights': this.lightsOn = command.on; return Promise.resolve(ACK());
      case 'buzzer': return this.delay(Math.min(command.ms, this.timings.buzzerMaxMs), ACK());
      case 'conveyor': return Promise.resolve(command.run ? this.runConveyor() : this.stopConveyor());
      case 'gate': return this.moveGate(command.bin);
      case 'door': return this.moveDoor(command.locked);
      case 'tare': return this.tare();
      case 'sort': return this.sort(command.bin, command.item);
      case 'where': return Promise.resolve(ACK({ item: command.item, ...whereaboutsData(this.whereIs(command.item)) }));
      case 'set': this.settings[command.key] = command.value; return Promise.resolve(ACK({ [command.key]: String(command.value) }));
    }
  }

  /** A controller reset loses the list of recent drops and the parameters set by SET (both live in RAM). */
  forgetDrops(): void {
    this.recentDrops.clear();
    for (const key of Object.keys(this.settings) as SettingKey[]) delete this.settings[key];
  }

  /** What the controller can say about an item id: dropped (and where), still on its way, or nothing. */
  whereIs(item: string): ItemWhereabouts {
    if (this.intake?.tag === item || this.belt.items().some((riding) => riding.tag === item)) return { state: 'transit' };
    const bin = this.recentDrops.get(item);
    return bin ? { state: 'dropped', bin } : { state: 'unknown' };
  }

  setFault(fault: ModelFault, active: boolean): void {
    if (active === this.faults.has(fault)) return;
    if (active) this.faults.add(fault);
    else this.faults.delete(fault);
    // Pulling an item back, a worn gate, a blocked chute: nothing the controller can see or report.
    if (SILENT_FAULTS.has(fault)) return;
    if (active && fault !== 'sensor_stuck') this.conveyorRunning = false;
    if (fault === 'jam' || fault === 'overcurrent') {
      if (active) this.belt.halt();
      else if (!this.faults.has('jam') && !this.faults.has('overcurrent')) this.belt.resume();
    }
    this.emit({ type: 'fault', code: fault, active });
    if (fault === 'sensor_stuck') this.emit({ type: 'item', present: active || this.intake !== null });
  }

  /**
   * Set a bin's level. `report: false` fills it without telling the host (a level report lost, or a bin
   * filled by hand): the host still believes it has room until the gate refuses it with BIN_FULL.
   */
  setBinPercent(bin: Bin, percent: number, report = true): void {
    this.fillMl[bin] = (this.capacityMl[bin] * Math.max(0, Math.min(100, percent))) / 100;
    if (report) this.emit({ type: 'fill', bin, percent: this.percent(bin) });
  }

  /** A person takes the item out of the intake by hand (a technician clearing a stuck item, a recycler). */
  takeItem(): boolean {
    if (!this.intake) return false;
    this.conveyorRunning = false;
    this.trip++;
    this.removeItem();
    return true;
  }

  /**
   * Fail-safe when the host goes quiet: nothing keeps moving without a host watching — except a sorted item
   * already on its way, whose move is finished (bounded by the conveyor's travel time), so it ends in its bin
   * with a DROP waiting for the host rather than half-way along the belt.
   */
  hostLost(): void {
    if (this.conveyorRunning && this.intake?.tag === undefined) this.stopConveyor();
  }

  percent(bin: Bin): number {
    return Math.min(100, Math.round((this.fillMl[bin] / this.capacityMl[bin]) * 100));
  }

  statusData(): Record<string, string> {
    return {
      conv: this.conveyorRunning || this.belt.moving ? 'run' : 'stop',
      gate: this.gate,
      door: 'closed',
      lock: this.doorLocked ? 'locked' : 'unlocked',
      light: this.lightsOn ? 'on' : 'off',
      item: this.intake || this.faults.has('sensor_stuck') ? '1' : '0',
      wt: this.reading().toFixed(1),
      temp: this.temperatureC.toFixed(1),
      fill: BINS.map((bin) => this.percent(bin)).join('/'),
      faults: [...this.faults].filter((f) => !SILENT_FAULTS.has(f)).join('+') || 'none',
    };
  }

  /** Drift the temperature a little, as a periodic telemetry reading. */
  tickTemperature(): void {
    this.temperatureC = Math.round((this.temperatureC + (this.random() - 0.5) * 0.4) * 10) / 10;
    this.emit({ type: 'temperature', celsius: this.temperatureC });
  }

  stop(): void {
    this.belt.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private runConveyor(): Reply {
    if (this.faults.has('overcurrent')) return NAK('OVERCURRENT');
    if (this.faults.has('jam')) return NAK('JAM');
    this.conveyorRunning = true;
    const trip = ++this.trip;
    const item = this.intake;
    const stillThisTrip = () => this.trip === trip && this.conveyorRunning && this.intake === item;
    if (item && this.faults.delete('pulled_back')) {
      // The user grabs the item back halfway: the beam clears and no drop is ever reported.
      this.after(this.timings.conveyorMs / 2, () => stillThisTrip() && this.removeItem());
    } else if (item) {
      this.after(this.timings.conveyorMs, () => stillThisTrip() && this.dropItem(item));
    }
    this.after(this.timings.conveyorMs, () => {
      if (this.trip === trip) this.conveyorRunning = false;
    });
    return ACK();
  }

  /**
   * SORT: gate, then conveyor, as one command, ACKed once the item is on its way. With an id, the item must
   * be there: a tagged sort of an empty intake is refused (NO_ITEM), so frames forged to look like an item
   * cannot make the machine report a drop for it.
   */
  private async sort(bin: Bin, item: string | null): Promise<Reply> {
    if (this.pipelined) return this.sortOntoBelt(bin, item);
    const carried = this.intake;
    if (item !== null) {
      if (carried?.tag === item && this.conveyorRunning) return ACK(); // already on its way
      if (!carried) return NAK('NO_ITEM');
      // Known from the moment the command arrives: a host asking WHERE meanwhile hears "in transit".
      carried.tag = item;
    }
    // A worn gate lands one position off for this item (the `wrong_bin` fault), and says nothing of it.
    const target = bin !== 'reject' && this.faults.delete('wrong_bin') ? NEIGHBOUR[bin] : bin;
    const gate = await this.moveGate(target);
    if (!gate.ok) {
      if (carried && item !== null && carried.tag === item) delete carried.tag;
      return gate;
    }
    // The item may have been pulled out while the gate moved.
    if (item !== null && this.intake !== carried) return NAK('NO_ITEM');
    return this.runConveyor();
  }

  private stopConveyor(): Reply {
    this.conveyorRunning = false;
    this.trip++;
    return ACK();
  }

  /**
   * Belt mode: a sort to a bin pushes the item off the intake onto the belt (ACK once the intake is clear); a
   * sort to `reject` pushes it back out to the tray. Refused while the belt has no free place (BUSY: the host
   * tries again shortly), for a full bin, or while the belt is jammed.
   */
  private async sortOntoBelt(bin: Bin, item: string | null): Promise<Reply> {
    const carried = this.intake;
    if (item !== null && this.belt.items().some((riding) => riding.tag === item)) return ACK(); // already on its way
    if (item !== null && !carried) return NAK('NO_ITEM');
    if (bin === 'reject') return this.pushBack(carried);
    if (this.faults.has('overcurrent')) return NAK('OVERCURRENT');
    if (this.faults.has('jam')) return NAK('JAM');
    if (this.percent(bin) >= 100) return NAK('BIN_FULL');
    if (this.belt.full) return NAK('BUSY');
    if (carried && item !== null) carried.tag = item;
    // A worn gate lands one position off for this item (the `wrong_bin` fault), and says nothing of it.
    const target = this.faults.delete('wrong_bin') ? NEIGHBOUR[bin] : bin;
    // The user grabs the item back while it is pushed (the `pulled_back` fault): it never reaches the belt.
    if (carried && this.faults.delete('pulled_back')) this.after(this.timings.transferMs / 2, () => this.intake === carried && this.takeItem());
    const reply = await this.delay(this.timings.transferMs, ACK());
    if (carried && this.intake === carried) {
      this.removeItem();
      this.belt.load(carried, target);
    }
    return reply;
  }

  /** Belt mode's hand-back: the intake pushes the item back out to the tray (the reject chute). */
  private async pushBack(carried: SimItem | null): Promise<Reply> {
    if (this.faults.has('return_blocked')) return NAK('CHUTE_BLOCKED');
    const reply = await this.delay(this.timings.transferMs, ACK());
    if (carried && this.intake === carried) this.land(carried, 'reject', true);
    return reply;
  }

  private dropItem(item: SimItem): void {
    this.conveyorRunning = false;
    this.land(item, this.gate, true);
  }

  /** The drop sensor sees `item` fall into `bin` (from the intake in protocol 2, from the belt in belt mode). */
  private land(item: SimItem, bin: Bin, fromIntake = false): void {
    if (fromIntake) {
      this.removeItem();
      // Crumbs and creep: the empty platform rarely reads exactly zero again, which is what tare is for.
      this.rawGrams += (this.random() - 0.3) * 0.8;
    }
    this.gate = bin;
    // The reject chute leads back to the user's tray, so it never fills.
    if (bin !== 'reject') this.fillMl[bin] += item.volumeMl;
    if (item.tag !== undefined) this.rememberDrop(item.tag, bin);
    this.emit(item.tag === undefined ? { type: 'drop', bin } : { type: 'drop', bin, item: item.tag });
    if (bin !== 'reject') this.emit({ type: 'fill', bin, percent: this.percent(bin) });
  }

  private rememberDrop(item: string, bin: Bin): void {
    this.recentDrops.delete(item);
    this.recentDrops.set(item, bin);
    if (this.recentDrops.size > RECENT_DROPS) this.recentDrops.delete(this.recentDrops.keys().next().value as string);
  }

  private removeItem(): void {
    const item = this.intake;
    this.intake = null;
    if (item) this.rawGrams -= item.weightGrams;
    this.emit({ type: 'item', present: this.faults.has('sensor_stuck') });
    this.emitWeight();
  }

  private moveGate(bin: Bin): Promise<Reply> {
    if (this.conveyorRunning || this.belt.moving) return Promise.resolve(NAK('BUSY'));
    if (bin !== 'reject' && this.percent(bin) >= 100) return Promise.resolve(NAK('BIN_FULL'));
    if (bin === 'reject' && this.faults.has('return_blocked')) return Promise.resolve(NAK('CHUTE_BLOCKED'));
    return this.delay(this.timings.gateMs, ACK()).then((reply) => {
      this.gate = bin;
      return reply;
    });
  }

  private moveDoor(locked: boolean): Promise<Reply> {
    return this.delay(this.timings.doorMs, ACK()).then((reply) => {
      this.doorLocked = locked;
      this.emit({ type: 'door', open: false, locked });
      return reply;
    });
  }

  private tare(): Promise<Reply> {
    if (this.intake) return Promise.resolve(NAK('ITEM_PRESENT'));
    return this.delay(this.timings.tareMs, ACK()).then((reply) => {
      this.zeroGrams = this.rawGrams;
      return reply;
    });
  }

  private reading(): number {
    // Load-cell noise: a triangular spread of about ±0.3 g around the true weight.
    const noise = (this.random() + this.random() - 1) * 0.3;
    return Math.round((this.rawGrams - this.zeroGrams + noise) * 10) / 10;
  }

  private emitWeight(): void {
    this.emit({ type: 'weight', grams: this.reading() });
  }

  private delay(ms: number, reply: Reply): Promise<Reply> {
    // Instant timings answer in the same turn, so benchmarks measure the link, not a 1 ms timer floor.
    if (ms <= 0) return Promise.resolve(reply);
    return new Promise((resolve) => this.after(ms, () => resolve(reply)));
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

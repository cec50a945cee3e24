/**
 * The rvm1 vocabulary: what a frame body means, in both directions. A body is comma-separated fields,
 * `<seq>,<VERB>[,<arg>...]`. The host and the controller each number the frames they originate (1..65535,
 * wrapping past 0); an ACK/NAK carries the number of the command it answers instead. Retries re-send the
 * same number, so the controller can answer a duplicate from its cache instead of moving the gate twice.
 * Parsing is strict: anything unexpected is an error string, never an exception.
 *
 * Protocol 2 names items: `SORT,<bin>,<item>` carries the host's item id, the DROP it causes names it
 * (`DROP,<bin>,<item>`), and `WHERE,<item>` asks the controller, after a reconnect, whether that item was
 * dropped, is still in transit, or is unknown to it. A credit is bound to an item id, never to a bare DROP.
 */
import type { Bin, ItemWhereabouts } from '../../domain/ports.js';

export type { ItemWhereabouts };

export const PROTOCOL_VERSION = 2;
/** A controller whose belt carries several items at once announces 3: its SORT ACKs once the intake is clear. */
export const PIPELINED_PROTOCOL_VERSION = 3;
export const BINS = ['plastic', 'can', 'glass', 'reject'] as const satisfies readonly Bin[];

export type MachineCommand =
  | { op: 'ping' }
  | { op: 'conveyor'; run: boolean }
  | { op: 'gate'; bin: Bin }
  | { op: 'door'; locked: boolean }
  | { op: 'lights'; on: boolean }
  | { op: 'buzzer'; ms: number }
  | { op: 'tare' }
  | { op: 'status' }
  /** Gate to `bin`, then the conveyor, as one command; `item` (the host's id) rides with the item to its DROP. */
  | { op: 'sort'; bin: Bin; item: string | null }
  /** Where is this item: reply `state=dropped,bin=<bin>` | `state=transit` | `state=unknown`. */
  | { op: 'where'; item: string }
  /** Set a controller parameter (protocol 2); ACK echoes `<key>=<value>`. Lost on a controller reboot: re-sent on link-up. */
  | { op: 'set'; key: SettingKey; value: number };
export type CommandOp = MachineCommand['op'];

/**
 * Parameters the host may set (`SET,<key>,<value>`), each an integer within its range:
 * `motor_delay_us`: the stepper's delay between steps in microseconds (the server's policy.motor_speed_delay,
 * given in seconds: 0.005 → 5000); larger is slower.
 */
export const SETTINGS = { motor_delay_us: { min: 0, max: 1_000_000 } } as const;
export type SettingKey = keyof typeof SETTINGS;

export function isSettingValue(key: SettingKey, value: number): boolean {
  return Number.isInteger(value) && value >= SETTINGS[key].min && value <= SETTINGS[key].max;
}

export type ControllerEvent =
  | { type: 'item'; present: boolean }
  /** `item`: the id the host gave in SORT; absent for a move nobody named (a technician test, a return). */
  | { type: 'drop'; bin: Bin; item?: string }
  | { type: 'weight'; grams: number }
  | { type: 'fill'; bin: Bin; percent: number }
  | { type: 'door'; open: boolean; locked: boolean }
  | { type: 'temperature'; celsius: number }
  | { type: 'fault'; code: string; active: boolean }
  | { type: 'boot'; firmware: string; protocol: number }
  | { type: 'heartbeat' };

export type Reply = { ok: true; data: Record<string, string> } | { ok: false; code: string };

/** Frames the host sends. `eventAck` confirms a DROP event, which the controller repeats until confirmed. */
export type HostFrame =
  | { seq: number; kind: 'command'; command: MachineCommand }
  | { seq: number; kind: 'heartbeat' }
  | { seq: number; kind: 'eventAck'; eventSeq: number };

export type ControllerFrame = { seq: number; kind: 'reply'; reply: Reply } | { seq: number; kind: 'event'; event: ControllerEvent };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const TOKEN = /^[A-Za-z0-9_.\-+/]{1,40}$/;
/** An item id as the host makes them (a UUID) or any short token of letters, digits, `-` and `_`. */
const ITEM_ID = /^[A-Za-z0-9_-]{1,40}$/;

export function isItemId(value: string | undefined): value is string {
  return value !== undefined && ITEM_ID.test(value);
}

/** The fields of a WHERE reply (ACK data), so both ends spell them the same way. */
export function whereaboutsData(where: ItemWhereabouts): Record<string, string> {
  return where.state === 'dropped' ? { state: 'dropped', bin: where.bin } : { state: where.state };
}

export function parseWhereabouts(data: Record<string, string>): ItemWhereabouts | null {
  if (data.state === 'dropped') return isBin(data.bin) ? { state: 'dropped', bin: data.bin } : null;
  if (data.state === 'transit' || data.state === 'unknown') return { state: data.state };
  return null;
}
const NUMBER = /^-?\d{1,6}(\.\d{1,3})?$/;

export function describeCommand(command: MachineCommand): string {
  const fields = commandFields(command);
  return fields.join(' ').toLowerCase();
}

function commandFields(command: MachineCommand): string[] {
  switch (command.op) {
    case 'ping': return ['PING'];
    case 'conveyor': return ['CONV', command.run ? 'run' : 'stop'];
    case 'gate': return ['GATE', command.bin];
    case 'door': return ['DOOR', command.locked ? 'lock' : 'unlock'];
    case 'lights': return ['LIGHT', command.on ? 'on' : 'off'];
    case 'buzzer': return ['BUZZ', String(Math.round(command.ms))];
    case 'tare': return ['TARE'];
    case 'status': return ['STAT'];
    case 'sort': return command.item === null ? ['SORT', command.bin] : ['SORT', command.bin, command.item];
    case 'where': return ['WHERE', command.item];
    case 'set': return ['SET', command.key, String(command.value)];
  }
}

export function hostBody(frame: HostFrame): string {
  if (frame.kind === 'heartbeat') return `${frame.seq},HB`;
  if (frame.kind === 'eventAck') return `${frame.seq},EACK,${frame.eventSeq}`;
  return [frame.seq, ...commandFields(frame.command)].join(',');
}

export function controllerBody(frame: ControllerFrame): string {
  if (frame.kind === 'reply') {
    const reply = frame.reply;
    if (!reply.ok) return `${frame.seq},NAK,${reply.code}`;
    return [String(frame.seq), 'ACK', ...Object.entries(reply.data).map(([k, v]) => `${k}=${v}`)].join(',');
  }
  return [String(frame.seq), ...eventFields(frame.event)].join(',');
}

function eventFields(event: ControllerEvent): string[] {
  switch (event.type) {
    case 'item': return ['ITEM', event.present ? '1' : '0'];
    case 'drop': return event.item === undefined ? ['DROP', event.bin] : ['DROP', event.bin, event.item];
    case 'weight': return ['WT', event.grams.toFixed(1)];
    case 'fill': return ['FILL', event.bin, String(Math.round(event.percent))];
    case 'door': return ['DOOR', event.open ? 'open' : 'closed', event.locked ? 'locked' : 'unlocked'];
    case 'temperature': return ['TEMP', event.celsius.toFixed(1)];
    case 'fault': return ['FAULT', event.code, event.active ? '1' : '0'];
    case 'boot': return ['BOOT', event.firmware, String(event.protocol)];
    case 'heartbeat': return ['HB'];
  }
}

export function parseHostBody(body: string): Parsed<HostFrame> {
  const [seqText, verb, ...args] = body.split(',');
  const seq = parseSeq(seqText);
  if (seq === null) return fail(`bad sequence number ${JSON.stringify(seqText)}`);
  const arg = args[0];
  const one = (value: MachineCommand | null): Parsed<HostFrame> =>
    value && args.length <= 1 ? { ok: true, value: { seq, kind: 'command', command: value } } : fail(`bad arguments for ${verb}: ${args.join(',')}`);
  switch (verb) {
    case 'HB': return args.length === 0 ? { ok: true, value: { seq, kind: 'heartbeat' } } : fail('HB takes no arguments');
    case 'EACK': {
      const eventSeq = parseSeq(arg);
      return eventSeq !== null && args.length === 1 ? { ok: true, value: { seq, kind: 'eventAck', eventSeq } } : fail('bad EACK');
    }
    case 'PING': return args.length === 0 ? one({ op: 'ping' }) : fail('PING takes no arguments');
    case 'TARE': return args.length === 0 ? one({ op: 'tare' }) : fail('TARE takes no arguments');
    case 'STAT': return args.length === 0 ? one({ op: 'status' }) : fail('STAT takes no arguments');
    case 'CONV': return one(arg === 'run' || arg === 'stop' ? { op: 'conveyor', run: arg === 'run' } : null);
    case 'GATE': return one(isBin(arg) ? { op: 'gate', bin: arg } : null);
    case 'DOOR': return one(arg === 'lock' || arg === 'unlock' ? { op: 'door', locked: arg === 'lock' } : null);
    case 'LIGHT': return one(arg === 'on' || arg === 'off' ? { op: 'lights', on: arg === 'on' } : null);
    case 'BUZZ': {
      const ms = arg !== undefined && /^\d{1,4}$/.test(arg) ? Number(arg) : NaN;
      return one(ms >= 1 && ms <= 5000 ? { op: 'buzzer', ms } : null);
    }
    case 'SORT': {
      const item = args[1];
      const ok = isBin(arg) && (args.length === 1 || (args.length === 2 && isItemId(item)));
      return ok ? { ok: true, value: { seq, kind: 'command', command: { op: 'sort', bin: arg, item: item ?? null } } } : fail(`bad arguments for SORT: ${args.join(',')}`);
    }
    case 'WHERE': return one(isItemId(arg) ? { op: 'where', item: arg } : null);
    case 'SET': {
      const text = args[1];
      const value = text !== undefined && /^\d{1,7}$/.test(text) ? Number(text) : NaN;
      const ok = args.length === 2 && arg !== undefined && Object.hasOwn(SETTINGS, arg) && isSettingValue(arg as SettingKey, value);
      return ok ? { ok: true, value: { seq, kind: 'command', command: { op: 'set', key: arg as SettingKey, value } } } : fail(`bad arguments for SET: ${args.join(',')}`);
    }
    default: return fail(`unknown command verb ${JSON.stringify(verb)}`);
  }
}

export function parseControllerBody(body: string): Parsed<ControllerFrame> {
  const [seqText, verb, ...args] = body.split(',');
  const seq = parseSeq(seqText);
  if (seq === null) return fail(`bad sequence number ${JSON.stringify(seqText)}`);
  if (verb === 'ACK') {
    const data: Record<string, string> = {};
    for (const pair of args) {
      const eq = pair.indexOf('=');
      if (eq <= 0) return fail(`bad ACK field ${JSON.stringify(pair)}`);
      data[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return { ok: true, value: { seq, kind: 'reply', reply: { ok: true, data } } };
  }
  if (verb === 'NAK') {
    const code = args[0];
    return code && TOKEN.test(code) && args.length === 1 ? { ok: true, value: { seq, kind: 'reply', reply: { ok: false, code } } } : fail('bad NAK');
  }
  const event = parseEvent(verb, args);
  return typeof event === 'string' ? fail(event) : { ok: true, value: { seq, kind: 'event', event } };
}

function parseEvent(verb: string | undefined, args: string[]): ControllerEvent | string {
  const [a, b] = args;
  const count = (n: number) => args.length === n;
  switch (verb) {
    case 'HB': return count(0) ? { type: 'heartbeat' } : 'HB takes no arguments';
    case 'ITEM': return count(1) && (a === '1' || a === '0') ? { type: 'item', present: a === '1' } : 'bad ITEM';
    case 'DROP': {
      if (count(1) && isBin(a)) return { type: 'drop', bin: a };
      return count(2) && isBin(a) && isItemId(b) ? { type: 'drop', bin: a, item: b } : 'bad DROP';
    }
    case 'WT': {
      const grams = parseNumber(a);
      return count(1) && grams !== null && grams > -10_000 && grams < 100_000 ? { type: 'weight', grams } : 'bad WT';
    }
    case 'FILL': {
      const percent = parseNumber(b);
      return count(2) && isBin(a) && percent !== null && percent >= 0 && percent <= 100 ? { type: 'fill', bin: a, percent } : 'bad FILL';
    }
    case 'DOOR': {
      const ok = count(2) && (a === 'open' || a === 'closed') && (b === 'locked' || b === 'unlocked');
      return ok ? { type: 'door', open: a === 'open', locked: b === 'locked' } : 'bad DOOR';
    }
    case 'TEMP': {
      const celsius = parseNumber(a);
      return count(1) && celsius !== null && celsius > -60 && celsius < 150 ? { type: 'temperature', celsius } : 'bad TEMP';
    }
    case 'FAULT': return count(2) && a && TOKEN.test(a) && (b === '1' || b === '0') ? { type: 'fault', code: a.toLowerCase(), active: b === '1' } : 'bad FAULT';
    case 'BOOT': {
      const protocol = b !== undefined && /^\d{1,3}$/.test(b) ? Number(b) : null;
      return count(2) && a && TOKEN.test(a) && protocol !== null ? { type: 'boot', firmware: a, protocol } : 'bad BOOT';
    }
    default: return `unknown event verb ${JSON.stringify(verb)}`;
  }
}

export function isBin(value: string | undefined): value is Bin {
  return (BINS as readonly string[]).includes(value ?? '');
}

function parseSeq(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const seq = Number(text);
  return seq <= 65535 ? seq : null;
}

function parseNumber(text: string | undefined): number | null {
  return text !== undefined && NUMBER.test(text) ? Number(text) : null;
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** The next originated sequence number: 1..65535, skipping 0 so a zeroed buffer never looks valid. */
export function nextSeq(seq: number): number {
  return seq >= 65535 ? 1 : seq + 1;
}

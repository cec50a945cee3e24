/**
 * Line framing of the rvm1 protocol: `$<body>*<CRC16 as 4 hex digits>\r?\n`.
 *
 * The decoder is a byte-at-a-time state machine with a fixed buffer, so no input can make it grow without
 * bound or stall: a `$` always starts a new frame (whatever came before is reported and dropped), a newline
 * always ends one, and a frame longer than MAX_FRAME_BYTES is reported once and skipped to the next `$` or
 * newline. Because a body may not contain `$`, `*` or control bytes, a valid frame survives any noise around it.
 */
import { crc16, crc16Hex } from './crc16.js';

/** Longest body we accept; the longest real one (a STAT reply) is about 130 characters. */
export const MAX_BODY_CHARS = 200;
/** `$` + body + `*` + 4 hex + `\r\n`. */
export const MAX_FRAME_BYTES = MAX_BODY_CHARS + 8;

const DOLLAR = 0x24;
const STAR = 0x2a;
const LF = 0x0a;
const CR = 0x0d;

export type MalformedReason = 'noise' | 'truncated' | 'oversized' | 'bad_checksum' | 'bad_format' | 'bad_message';

export type Decoded = { type: 'frame'; body: string } | { type: 'malformed'; reason: MalformedReason; bytes: Buffer };

/** True for characters allowed inside a body: printable ASCII except the two delimiters. */
export function isBodyByte(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e && byte !== DOLLAR && byte !== STAR;
}

export function encodeFrame(body: string): Buffer {
  const bodyBytes = Buffer.from(body, 'latin1');
  if (bodyBytes.length === 0 || bodyBytes.length > MAX_BODY_CHARS || !bodyBytes.every(isBodyByte)) {
    throw new Error(`cannot frame body ${JSON.stringify(body)}: 1-${MAX_BODY_CHARS} printable characters without $ or *`);
  }
  return Buffer.from(`$${body}*${crc16Hex(bodyBytes)}\r\n`, 'latin1');
}

type State = 'idle' | 'frame' | 'discard';

export class FrameDecoder {
  private readonly frame = Buffer.alloc(MAX_FRAME_BYTES);
  private frameLength = 0;
  private readonly noise = Buffer.alloc(MAX_FRAME_BYTES);
  private noiseLength = 0;
  private state: State = 'idle';

  push(chunk: Uint8Array): Decoded[] {
    const out: Decoded[] = [];
    for (let i = 0; i < chunk.length; i++) this.step(chunk[i] as number, out);
    return out;
  }

  private step(byte: number, out: Decoded[]): void {
    if (byte === DOLLAR) {
      this.flushPending(out);
      this.state = 'frame';
      this.frame[0] = DOLLAR;
      this.frameLength = 1;
      return;
    }
    if (byte === LF) {
      if (this.state === 'frame') out.push(this.finishFrame());
      else this.flushNoise(out);
      this.state = 'idle';
      this.frameLength = 0;
      return;
    }
    if (this.state === 'discard') return;
    if (this.state === 'frame') {
      if (this.frameLength >= MAX_FRAME_BYTES) {
        out.push({ type: 'malformed', reason: 'oversized', bytes: Buffer.from(this.frame.subarray(0, this.frameLength)) });
        this.state = 'discard';
        this.frameLength = 0;
        return;
      }
      this.frame[this.frameLength++] = byte;
      return;
    }
    this.noise[this.noiseLength++] = byte;
    if (this.noiseLength === MAX_FRAME_BYTES) this.flushNoise(out);
  }

  /** A `$` arrived: report the unfinished frame or the run of noise it interrupts. */
  private flushPending(out: Decoded[]): void {
    if (this.state === 'frame') {
      out.push({ type: 'malformed', reason: 'truncated', bytes: Buffer.from(this.frame.subarray(0, this.frameLength)) });
    }
    this.flushNoise(out);
  }

  private flushNoise(out: Decoded[]): void {
    if (this.noiseLength === 0) return;
    out.push({ type: 'malformed', reason: 'noise', bytes: Buffer.from(this.noise.subarray(0, this.noiseLength)) });
    this.noiseLength = 0;
  }

  private finishFrame(): Decoded {
    let end = this.frameLength;
    if (end > 0 && this.frame[end - 1] === CR) end--;
    const raw = Buffer.from(this.frame.subarray(0, this.frameLength));
    // `$` + at least one body byte + `*` + 4 hex digits.
    const star = end - 5;
    if (star < 2 || this.frame[star] !== STAR) return { type: 'malformed', reason: 'bad_format', bytes: raw };
    for (let i = 1; i < star; i++) {
      if (!isBodyByte(this.frame[i] as number)) return { type: 'malformed', reason: 'bad_format', bytes: raw };
    }
    const sent = parseHex4(this.frame, star + 1);
    if (sent === null) return { type: 'malformed', reason: 'bad_format', bytes: raw };
    if (sent !== crc16(this.frame, 1, star)) return { type: 'malformed', reason: 'bad_checksum', bytes: raw };
    return { type: 'frame', body: this.frame.toString('latin1', 1, star) };
  }
}

function parseHex4(bytes: Uint8Array, at: number): number | null {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const digit = hexDigit(bytes[i] as number);
    if (digit < 0) return null;
    value = (value << 4) | digit;
  }
  return value;
}

function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

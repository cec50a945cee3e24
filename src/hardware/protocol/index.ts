/**
 * The machine-controller wire protocol, in one place: framing (frame.ts, crc16.ts), vocabulary
 * (messages.ts), and the two dialects from both ends (rvm1.ts, legacy.ts). See docs/serial-protocol.md.
 */
import type { DeviceDialect, DialectName, HostDialect } from './dialect.js';
import { legacyDevice, legacyHost } from './legacy.js';
import { rvm1Device, rvm1Host } from './rvm1.js';

export * from './dialect.js';
export * from './messages.js';
export { rvm1Device, rvm1Host } from './rvm1.js';
export { legacyDevice, legacyHost } from './legacy.js';
export { encodeFrame, FrameDecoder, MAX_BODY_CHARS, MAX_FRAME_BYTES, type Decoded, type MalformedReason } from './frame.js';

export function hostDialect(name: DialectName): HostDialect {
  return name === 'rvm1' ? rvm1Host : legacyHost;
}

export function deviceDialect(name: DialectName): DeviceDialect {
  return name === 'rvm1' ? rvm1Device : legacyDevice;
}

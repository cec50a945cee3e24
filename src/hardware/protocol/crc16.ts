/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor): the CRC most MCU SDKs
 * already ship (ESP-IDF `crc16_be`, STM32 HAL with the polynomial set), so firmware need not carry its own.
 * It catches every 1- and 2-bit error and every burst up to 16 bits in our short lines, which a one-byte
 * NMEA-style XOR does not. A table keeps it at one lookup per byte.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[n] = crc;
  }
  return table;
}

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}

/** Four upper-case hex digits, as written on the wire. */
export function crc16Hex(bytes: Uint8Array): string {
  return crc16(bytes).toString(16).toUpperCase().padStart(4, '0');
}

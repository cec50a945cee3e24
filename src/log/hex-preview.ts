/** Hex of the first `max` bytes for a log line, with the full length when cut. */
export function hexPreview(bytes: Buffer, max = 64): string {
  const hex = bytes.subarray(0, max).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > max ? `${hex} … (${bytes.length} bytes)` : hex;
}

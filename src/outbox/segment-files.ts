/** Naming and listing of journal segments. */
import { nodeFs, type StorageFs } from '../storage/durable-fs.js';

const SEGMENT = /^seg-(\d{8})\.jnl$/;

export function segmentName(n: number): string {
  return `seg-${String(n).padStart(8, '0')}.jnl`;
}

/** Segment numbers present in `dir`, ascending. */
export async function listSegments(dir: string, fs: StorageFs = nodeFs): Promise<number[]> {
  const names = await fs.readdir(dir);
  return names
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

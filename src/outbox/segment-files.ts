/** Naming and listing of journal segments, and the quarantine for corrupt lines. */
import { access, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurable } from '../storage/durable-fs.js';
import type { BadLine } from './record-codec.js';

const SEGMENT = /^seg-(\d{8})\.jnl$/;

export function segmentName(n: number): string {
  return `seg-${String(n).padStart(8, '0')}.jnl`;
}

/** Segment numbers present in `dir`, ascending. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Keep a copy of each corrupt line for a technician before the segment holding it can be deleted. The
 * name is derived from the position, so replaying the same segment twice does not duplicate the copy.
 */
export async function quarantine(dir: string, segment: number, lines: readonly BadLine[]): Promise<void> {
  if (lines.length === 0) return;
  const qdir = path.join(dir, 'quarantine');
  await mkdir(qdir, { recursive: true });
  for (const line of lines) {
    const file = path.join(qdir, `${segmentName(segment)}-${line.offset}.bad`);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) await writeFileDurable(file, line.bytes);
  }
}

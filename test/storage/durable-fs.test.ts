import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFileAtomic } from '../../src/storage/durable-fs.js';
import { FaultyDisk } from '../helpers/faulty-fs.js';
import { makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir('rvm-durable-fs-')));
afterEach(async () => cleanup());

describe('replaceFileAtomic', () => {
  it('on a full disk keeps the old content and leaves no partial temporary file eating the space', async () => {
    const file = path.join(dir, 'state.json');
    await writeFile(file, 'old');
    const disk = new FaultyDisk();
    disk.free = 10; // ten bytes of a hundred land, then ENOSPC
    await expect(replaceFileAtomic(file, 'x'.repeat(100), disk.fs)).rejects.toThrow(/ENOSPC/);
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
    expect(disk.free).toBe(10); // the partial bytes were given back
  });

  it('removes the temporary file when the fsync fails too', async () => {
    const file = path.join(dir, 'state.json');
    const disk = new FaultyDisk();
    disk.failNext('sync', (f) => f.endsWith('.tmp'), 'EIO');
    await expect(replaceFileAtomic(file, 'data', disk.fs)).rejects.toThrow(/EIO/);
    expect(await readdir(dir)).toEqual([]);
  });
});

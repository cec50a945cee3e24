/**
 * A filesystem for the outbox's `StorageFs` seam that runs out of space on demand, the way a real one does:
 * a write that does not fit writes what fits (a short write) and the next write fails with ENOSPC, leaving a
 * partial file or line behind. Space is accounted per file written through it, so deleting or truncating a
 * file gives its bytes back (the outbox's disk reserve relies on that). Other faults (EIO on a chosen call)
 * are injected with `failNext`.
 */
import { nodeFs, type StorageFs, type StorageHandle } from '../../src/storage/durable-fs.js';

type Op = 'write' | 'sync' | 'truncate' | 'open' | 'rename' | 'unlink';

export class FaultyDisk {
  /** Bytes that may still be written (Infinity: room enough). */
  free = Number.POSITIVE_INFINITY;
  /** Every ENOSPC thrown, with the file it hit. */
  readonly enospc: string[] = [];
  private readonly sizes = new Map<string, number>();
  private readonly planned: Array<{ op: Op; match: (file: string) => boolean; code: string }> = [];

  /** The next `op` on a file matching `match` fails with `code` (once). */
  failNext(op: Op, match: (file: string) => boolean, code = 'EIO'): void {
    this.planned.push({ op, match, code });
  }

  /** The disk fills up now: nothing more fits. */
  fill(): void {
    this.free = 0;
  }

  /** Room again. */
  clear(): void {
    this.free = Number.POSITIVE_INFINITY;
  }

  readonly fs: StorageFs = {
    open: async (file, flags) => {
      this.fault('open', file);
      const handle = await nodeFs.open(file, flags);
      if (flags === 'w') this.resize(file, 0);
      return this.wrap(file, handle);
    },
    readFile: (file) => nodeFs.readFile(file),
    rename: async (from, to) => {
      this.fault('rename', from);
      await nodeFs.rename(from, to);
      this.resize(to, 0);
      this.sizes.set(to, this.sizes.get(from) ?? 0);
      this.sizes.delete(from);
    },
    unlink: async (file) => {
      this.fault('unlink', file);
      await nodeFs.unlink(file);
      this.resize(file, 0);
      this.sizes.delete(file);
    },
    mkdir: (dir) => nodeFs.mkdir(dir),
    readdir: (dir) => nodeFs.readdir(dir),
    freeBytes: async () => (Number.isFinite(this.free) ? this.free : 10 * 1024 ** 3),
  };

  private wrap(file: string, handle: StorageHandle): StorageHandle {
    const take = (wanted: number): number => {
      if (this.free <= 0) {
        this.enospc.push(file);
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      }
      const granted = Math.min(wanted, this.free);
      this.free -= granted;
      this.sizes.set(file, (this.sizes.get(file) ?? 0) + granted);
      return granted;
    };
    return {
      write: async (buffer, offset, length) => {
        this.fault('write', file);
        const granted = take(length);
        return handle.write(buffer, offset, granted); // a short write when it does not all fit
      },
      writeFile: async (data) => {
        this.fault('write', file);
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
        let done = 0;
        while (done < bytes.length) {
          const granted = take(bytes.length - done); // throws ENOSPC once full, after the partial write
          await handle.write(bytes, done, granted);
          done += granted;
        }
      },
      sync: async () => {
        this.fault('sync', file);
        await handle.sync();
      },
      truncate: async (length) => {
        this.fault('truncate', file);
        await handle.truncate(length);
        this.resize(file, length);
      },
      close: () => handle.close(),
    };
  }

  private resize(file: string, length: number): void {
    const before = this.sizes.get(file);
    if (before === undefined) return; // written before this disk was watching: not accounted
    if (length < before) this.free += before - length;
    this.sizes.set(file, Math.min(before, length));
  }

  private fault(op: Op, file: string): void {
    const k = this.planned.findIndex((p) => p.op === op && p.match(file));
    if (k < 0) return;
    const [plan] = this.planned.splice(k, 1);
    throw Object.assign(new Error(`${plan!.code}: injected fault, ${op} '${file}'`), { code: plan!.code });
  }
}

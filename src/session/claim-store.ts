/**
 * Donated claim codes, kept across restarts: `<dataDir>/claims/donated.jsonl`, one JSON object per line,
 * appended and fsynced before the guest is told "thank you for donating". The session's credits already
 * carry the code (and may already be at the server), so this file is the kiosk's word that the code was
 * given away: what a server-side claim endpoint would be told, and what a technician can read with `less`.
 *
 * A torn last line (power lost mid-append; its fsync never returned, so nobody was thanked) is ignored on
 * read, as is any line that does not parse: a donation record can only be missing, never invented.
 */
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { fsyncDir, nodeFs, type StorageFs } from '../storage/durable-fs.js';

const log = createLogger('claims');
const FILE = 'donated.jsonl';

export interface Donation {
  claimCode: string;
  sessionId: string;
  /** The session's points at the moment of donating. */
  points: number;
  /** ISO time of the donation. */
  at: string;
}

export class ClaimStore {
  private constructor(
    private readonly file: string,
    private readonly donated: Map<string, Donation>,
    private readonly fs: StorageFs,
    /** The file ends in a torn line: the next append starts on a line of its own. */
    private tornTail: boolean,
  ) {}

  /**
   * Open (creating the folder) and read the donations recorded so far. A file that cannot be read is logged
   * and treated as empty, so it never stops the kiosk from starting; writing to it then fails on its own.
   */
  static async open(dir: string, fs: StorageFs = nodeFs): Promise<ClaimStore> {
    await fs.mkdir(dir);
    const file = path.join(dir, FILE);
    const donated = new Map<string, Donation>();
    let text = '';
    try {
      text = (await fs.readFile(file)).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.error('the donation log cannot be read; starting without it', { file, error: String(err) });
    }
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const donation = parseDonation(line);
      if (donation) donated.set(donation.claimCode, donation);
      else skipped += 1;
    }
    if (skipped > 0) log.warn('skipped unreadable lines in the donation log', { file, skipped });
    return new ClaimStore(file, donated, fs, text.length > 0 && !text.endsWith('\n'));
  }

  isDonated(claimCode: string): boolean {
    return this.donated.has(claimCode);
  }

  get count(): number {
    return this.donated.size;
  }

  /** Durably record a donation (fsync). A code already donated is not written again. */
  async donate(donation: Donation): Promise<void> {
    if (this.donated.has(donation.claimCode)) return;
    const created = this.donated.size === 0;
    const handle = await this.fs.open(this.file, 'a');
    try {
      await handle.writeFile(`${this.tornTail ? '\n' : ''}${JSON.stringify(donation)}\n`);
      await handle.sync();
      this.tornTail = false;
    } finally {
      await handle.close();
    }
    // A fresh file's name is only durable once its directory is synced too.
    if (created) await fsyncDir(path.dirname(this.file), this.fs);
    this.donated.set(donation.claimCode, donation);
  }
}

function parseDonation(line: string): Donation | null {
  try {
    const value = JSON.parse(line) as Partial<Donation>;
    if (typeof value.claimCode !== 'string' || typeof value.sessionId !== 'string' || typeof value.at !== 'string') return null;
    return { claimCode: value.claimCode, sessionId: value.sessionId, points: typeof value.points === 'number' ? value.points : 0, at: value.at };
  } catch {
    return null;
  }
}

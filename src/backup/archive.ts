/**
 * The archive itself: a gzip'd tar (node-tar) with `manifest.json` first, then `data/…` (the data folder's
 * included entries) and `settings/config.json`. Opening one extracts it into a scratch folder and checks it
 * against its manifest — every listed file present with its sha256, nothing unlisted — so a truncated copy
 * from a USB stick or a flipped bit is refused before a restore touches anything.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { create, extract } from 'tar';
import { describeZodError } from '../core/describe-error.js';
import { BackupError } from './errors.js';
import { BackupManifest, MANIFEST_FILE, sha256File } from './manifest.js';

/** Hash every file under `staging` and write the manifest; returns it. */
export async function writeManifest(staging: string, head: Omit<BackupManifest, 'files'>): Promise<BackupManifest> {
  const files: BackupManifest['files'] = [];
  for (const relative of await listFiles(staging)) {
    if (relative === MANIFEST_FILE) continue;
    const file = path.join(staging, relative);
    files.push({ path: relative, bytes: (await stat(file)).size, sha256: await sha256File(file) });
  }
  const manifest: BackupManifest = { ...head, files };
  await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Pack `staging` (manifest first) into `file`. */
export async function packArchive(staging: string, file: string): Promise<void> {
  const entries = (await readdir(staging)).filter((n) => n !== MANIFEST_FILE).sort();
  await mkdir(path.dirname(file), { recursive: true });
  await create({ gzip: true, file, cwd: staging, portable: true }, [MANIFEST_FILE, ...entries]);
}

export interface OpenedArchive {
  manifest: BackupManifest;
  /** Scratch folder holding the extracted, verified files; `dispose()` removes it. */
  root: string;
  dispose(): Promise<void>;
}

/** Extract and verify. Throws BackupError `backup_not_found` or `backup_damaged` (with what is wrong). */
export async function openArchive(file: string): Promise<OpenedArchive> {
  try {
    await stat(file);
  } catch {
    throw new BackupError('backup_not_found', `no backup archive at ${file}`);
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'rvm-restore-'));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    try {
      await extract({ file, cwd: root, strict: true });
    } catch (err) {
      throw damaged(`the archive cannot be read (${(err as Error).message})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(root, MANIFEST_FILE), 'utf8'));
    } catch {
      throw damaged('its manifest.json is missing or not JSON');
    }
    const parsed = BackupManifest.safeParse(raw);
    if (!parsed.success) throw damaged(`its manifest is not one this kiosk reads: ${describeZodError(parsed.error)}`);
    const manifest = parsed.data;
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const entry of manifest.files) {
      const where = path.join(root, entry.path);
      const sum = await sha256File(where).catch(() => null);
      if (sum === null) throw damaged(`${entry.path} is listed in the manifest but missing`);
      if (sum !== entry.sha256) throw damaged(`${entry.path} does not match its sha256 in the manifest`);
    }
    const extra = (await listFiles(root)).filter((p) => p !== MANIFEST_FILE && !listed.has(p));
    if (extra.length) throw damaged(`it holds files its manifest does not list (${extra.slice(0, 3).join(', ')})`);
    return { manifest, root, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

function damaged(why: string): BackupError {
  return new BackupError('backup_damaged', `damaged backup archive: ${why}`);
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(path.join(root, prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

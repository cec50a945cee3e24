/**
 * Model file download for model sync (designed; today's MyRVM-Server keeps it behind a user token). Streams
 * into `<dest>.part`, resumes an interrupted download with an HTTP Range request, checks the sha256 the
 * server announced, and only then renames into place, so a half-written model is never loaded.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { createLogger } from '../log/logger.js';
import type { RvmCredentials } from './credentials.js';

const log = createLogger('server.model');

export interface ModelDownload {
  /** Absolute, or relative to the server root (model-sync's `download_url`). */
  url: string;
  baseUrl: string;
  credentials: RvmCredentials;
  dest: string;
  sha256: string;
  timeoutMs?: number;
}

export type ModelDownloadResult = { ok: true; file: string; bytes: number; resumedFrom: number } | { ok: false; message: string };

export async function downloadModel({ url, baseUrl, credentials, dest, sha256, timeoutMs = 300_000 }: ModelDownload): Promise<ModelDownloadResult> {
  const part = `${dest}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const headers: Record<string, string> = { Accept: 'application/octet-stream', ...credentials.edgeAuthHeader() };
  if (have > 0) headers.Range = `bytes=${have}-`;
  const target = new URL(url, `${baseUrl}/`).toString();
  try {
    const res = await request(target, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) });
    if (res.statusCode === 416) {
      await res.body.dump();
    } else if (res.statusCode === 206 || res.statusCode === 200) {
      // 200 to a Range request means the server ignored it: start over.
      const append = res.statusCode === 206 && have > 0;
      await pipeline(res.body, createWriteStream(part, { flags: append ? 'a' : 'w' }));
    } else {
      await res.body.dump();
      return { ok: false, message: `model download: HTTP ${res.statusCode}` };
    }
    log.info('model downloaded', { path: new URL(target).pathname, status: res.statusCode, resumedFrom: have });
  } catch (err) {
    return { ok: false, message: `model download interrupted: ${(err as Error).message}` };
  }
  const actual = await fileSha256(part);
  if (actual !== sha256.toLowerCase()) {
    rmSync(part, { force: true });
    return { ok: false, message: 'model download: checksum mismatch, discarded' };
  }
  renameSync(part, dest);
  return { ok: true, file: dest, bytes: statSync(dest).size, resumedFrom: have };
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

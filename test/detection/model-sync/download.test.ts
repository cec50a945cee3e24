import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadResumable } from '../../../src/detection/model-sync/download.js';
import { startModelServer, type ModelServer } from '../../helpers/model-server.js';
import { tempDir } from '../../helpers/detection.js';

const body = randomBytes(300_000);

describe('downloadResumable over loopback HTTP', () => {
  let server: ModelServer;
  let dir: { dir: string; remove: () => void };
  beforeAll(async () => (server = await startModelServer()));
  afterAll(() => server.close());
  afterEach(() => dir?.remove());

  const download = (urlPath: string, extra: { maxBytes?: number; onProgress?: (r: number, t: number | null) => void } = {}) => {
    dir ??= tempDir();
    return downloadResumable({ fetch, url: `${server.baseUrl}${urlPath}`, file: path.join(dir.dir, 'part', 'm.part'), maxBytes: 10_000_000, ...extra });
  };

  it('downloads a whole file with progress up to its length', async () => {
    dir = tempDir();
    server.serve('/whole', { body });
    const progress: number[] = [];
    const result = await download('/whole', { onProgress: (r, t) => (expect(t).toBe(body.length), progress.push(r)) });
    expect(result).toEqual({ bytes: body.length, resumedFrom: 0 });
    expect(readFileSync(path.join(dir.dir, 'part', 'm.part')).equals(body)).toBe(true);
    expect(progress.at(-1)).toBe(body.length);
  });

  it('reports a connection cut short as truncated, keeps the part, and resumes it with a Range request', async () => {
    dir = tempDir();
    server.serve('/cut', { body, truncateAfter: 100_000 });
    const first = await download('/cut').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DownloadError);
    expect((first as DownloadError).failure).toBe('truncated');
    const kept = readFileSync(path.join(dir.dir, 'part', 'm.part')).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(body.length);

    const second = await download('/cut');
    expect(second).toEqual({ bytes: body.length, resumedFrom: kept });
    expect(server.requests.filter((r) => r.path === '/cut').map((r) => r.range)).toEqual([undefined, `bytes=${kept}-`]);
    expect(readFileSync(path.join(dir.dir, 'part', 'm.part')).equals(body)).toBe(true);
  });

  it('starts over when the server ignores Range, and treats 416 as "already whole"', async () => {
    dir = tempDir();
    const file = path.join(dir.dir, 'part', 'm.part');
    server.serve('/norange', { body, ignoreRange: true });
    await download('/norange'); // creates the folder
    writeFileSync(file, body.subarray(0, 5000));
    expect(await download('/norange')).toEqual({ bytes: body.length, resumedFrom: 0 });
    expect(readFileSync(file).equals(body)).toBe(true);
    server.serve('/whole2', { body });
    expect(await download('/whole2')).toEqual({ bytes: body.length, resumedFrom: body.length });
  });

  it.each([
    ['an HTTP error', '/missing', {}, 'http_error'],
    ['a file over the size limit', '/big', { maxBytes: 1000 }, 'too_large'],
  ] as const)('fails with a reason on %s', async (_label, urlPath, extra, failure) => {
    dir = tempDir();
    server.serve('/big', { body });
    await expect(download(urlPath, extra)).rejects.toMatchObject({ failure });
  });

  it('reports an unreachable server as an HTTP error', async () => {
    dir = tempDir();
    const closed = await startModelServer();
    const url = `${closed.baseUrl}/model`;
    await closed.close();
    const err = await downloadResumable({ fetch, url, file: path.join(dir.dir, 'x.part'), maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'http_error', message: expect.stringMatching(/cannot fetch/) });
    expect(existsSync(path.join(dir.dir, 'x.part'))).toBe(false);
  });

  it("asks for JSON first, and reads Laravel's 302 to /login (no JSON asked) as needs_user_token", async () => {
    dir = tempDir();
    const seen: Array<Record<string, string>> = [];
    const login = async (_url: string, init: { headers: Record<string, string> }) => {
      seen.push(init.headers);
      return new Response('Redirecting', { status: 302, headers: { location: 'http://server.test/login' } });
    };
    const err = await downloadResumable({ fetch: login, url: 'http://server.test/api/v1/edge/download-model/abc', authOrigin: 'http://server.test', authHeaders: { 'X-RVM-API-KEY': 'k' }, file: path.join(dir.dir, 'x.part'), maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ failure: 'needs_user_token', message: expect.stringMatching(/login page/) });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.Accept).toMatch(/^application\/json,/);
  });
});

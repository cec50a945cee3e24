/**
 * The model download keeps the API key home: it goes only to the server's own origin. An absolute model URL
 * on a second loopback server, or a same-origin URL that redirects there, is fetched without the key, and
 * only because the file must match the announced sha256; with no hash nothing is fetched from anywhere.
 * Real files, real onnxruntime workers, as in model-sync.test.ts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/detection/manifest.js';
import { ModelRuntime } from '../../../src/detection/model-runtime.js';
import { ModelStore } from '../../../src/detection/model-store.js';
import { DownloadError, downloadResumable } from '../../../src/detection/model-sync/download.js';
import { ModelSync } from '../../../src/detection/model-sync/model-sync.js';
import { setLogLevel } from '../../../src/log/logger.js';
import { demoImage, tempDir, tinyYoloManifest, tinyYoloModel, writeModel } from '../../helpers/detection.js';
import { bytes, redirect, startHostileServer, type HostileServer } from '../../helpers/hostile-server.js';

const box = { cx: 32, cy: 32, w: 20, h: 40 };
const running = tinyYoloModel([{ ...box, scores: [0.05, 0.93, 0.01, 0.01] }], 'running');
const offered = tinyYoloModel([{ ...box, scores: [0.95, 0.02, 0.01, 0.01] }], 'offered');
const sample = readFileSync(demoImage('coffee.png'));
const KEY = 'k'.repeat(64);
const hash = sha256Hex(offered);

describe('model download: the API key stays home', () => {
  let home: HostileServer;
  let elsewhere: HostileServer;
  let tmp: { dir: string; remove: () => void };
  let runtime: ModelRuntime;
  let sync: ModelSync;

  beforeAll(() => setLogLevel('error')); // refusals are logged as warnings on purpose
  afterAll(() => setLogLevel('warn'));

  beforeEach(async () => {
    home = await startHostileServer();
    elsewhere = await startHostileServer();
    tmp = tempDir();
    mkdirSync(path.join(tmp.dir, 'base'));
    const store = new ModelStore(path.join(tmp.dir, 'models'), writeModel(path.join(tmp.dir, 'base'), running, tinyYoloManifest(running)));
    runtime = new ModelRuntime(store, { threads: 1, timeoutMs: 20_000 }, () => undefined);
    await runtime.start();
    sync = new ModelSync({
      fetch,
      // What src/app/wire-server-link.ts offers: the server's base URL and the edge auth header.
      source: () => ({ baseUrl: home.url, headers: { 'X-RVM-API-KEY': KEY } }),
      store,
      runtime,
      template: async () => runtime.current!.model.manifest,
      sampleFrame: async () => sample,
      maxBytes: 10_000_000,
      onState: () => undefined,
    });
  });
  afterEach(async () => {
    await runtime.close();
    await home.close();
    await elsewhere.close();
    tmp.remove();
  });

  const seen = async () => (await runtime.detect(sample)).detections.map((d) => d.label);
  const keys = (server: HostileServer) => server.requests.map((r) => r.headers['x-rvm-api-key'] ?? null);

  it('sends the key with a download from the server itself', async () => {
    home.on(`/api/v1/edge/download-model/${hash}`, bytes(offered));
    expect(await sync.check({ version: '2.0.0', sha256: hash, url: `/api/v1/edge/download-model/${hash}` })).toMatchObject({ result: 'updated' });
    expect(keys(home)).toEqual([KEY]);
  });

  it('an absolute model URL on another origin: downloaded without the key, installed because the hash matches', async () => {
    elsewhere.on('/models/best.onnx', bytes(offered));
    expect(await sync.check({ version: '2.0.0', sha256: hash, url: `${elsewhere.url}/models/best.onnx` })).toMatchObject({ result: 'updated', version: '2.0.0' });
    expect(await seen()).toEqual(['pet_bottle']);
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.sawHeader('x-rvm-api-key')).toBe(false);
    expect(home.requests).toEqual([]);
  });

  it('a same-origin URL that 302-redirects to another origin: the key goes only to the server, the hop is keyless', async () => {
    home.on(`/api/v1/edge/download-model/${hash}`, redirect(`${elsewhere.url}/cdn/${hash}.onnx`));
    elsewhere.on(`/cdn/${hash}.onnx`, bytes(offered));
    expect(await sync.check({ version: '2.0.0', sha256: hash, url: `/api/v1/edge/download-model/${hash}` })).toMatchObject({ result: 'updated' });
    expect(keys(home)).toEqual([KEY]);
    expect(keys(elsewhere)).toEqual([null]);
  });

  it('keyless bytes that do not match the hash are thrown away and the current model stays', async () => {
    const other = tinyYoloModel([{ ...box, scores: [0, 0, 0.9, 0] }], 'tampered');
    home.on('/m', redirect(`${elsewhere.url}/m`));
    elsewhere.on('/m', bytes(other));
    expect(await sync.check({ version: '2.0.0', sha256: hash, url: '/m' })).toMatchObject({ result: 'failed', failure: 'hash_mismatch' });
    expect(await seen()).toEqual(['can']);
    expect(elsewhere.sawHeader('x-rvm-api-key')).toBe(false);
  });

  it('without a hash to check against, nothing is downloaded from another origin (nor at all)', async () => {
    elsewhere.on('/models/best.onnx', bytes(offered));
    home.on('/m', redirect(`${elsewhere.url}/models/best.onnx`));
    for (const url of [`${elsewhere.url}/models/best.onnx`, '/m']) {
      const outcome = await sync.check({ version: '2.0.0', sha256: '', url });
      expect(outcome).toMatchObject({ result: 'failed', failure: 'http_error', detail: expect.stringMatching(/no sha256/) });
    }
    expect(elsewhere.requests).toEqual([]);
    expect(home.requests).toEqual([]);
    expect(await seen()).toEqual(['can']);
  });
});

describe('downloadResumable by itself: the key stays home', () => {
  let home: HostileServer;
  let elsewhere: HostileServer;
  let tmp: { dir: string; remove: () => void };
  beforeEach(async () => {
    home = await startHostileServer();
    elsewhere = await startHostileServer();
    tmp = tempDir();
  });
  afterEach(async () => {
    await home.close();
    await elsewhere.close();
    tmp.remove();
  });
  const keys = (server: HostileServer) => server.requests.map((r) => r.headers['x-rvm-api-key'] ?? null);

  const download = (url: string, extra: Partial<Parameters<typeof downloadResumable>[0]> = {}) =>
    downloadResumable({ fetch, url, file: path.join(tmp.dir, 'dl', 'm.part'), maxBytes: 10_000_000, authOrigin: home.url, authHeaders: { 'X-RVM-API-KEY': KEY }, ...extra });

  it('refuses another origin unless told the bytes are checked (crossOrigin: keyless), before any request', async () => {
    elsewhere.on('/f', bytes(offered));
    home.on('/r', redirect(`${elsewhere.url}/f`, 307));
    for (const url of [`${elsewhere.url}/f`, `${home.url}/r`]) {
      const err = await download(url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownloadError);
      expect((err as DownloadError).message).toMatch(/refused to download from http:\/\/127\.0\.0\.1:\d+: not the server's origin/);
    }
    expect(elsewhere.requests).toEqual([]);
    expect(keys(home)).toEqual([KEY]);
    expect(await download(`${home.url}/r`, { crossOrigin: 'keyless' })).toEqual({ bytes: offered.length, resumedFrom: 0 });
    expect(keys(elsewhere)).toEqual([null]);
  });

  it('never sends the headers without an authOrigin, follows a same-origin redirect with them, and stops a redirect loop', async () => {
    home.on('/a', redirect('/b'));
    home.on('/b', bytes(offered));
    expect(await download(`${home.url}/a`, { authOrigin: undefined as never })).toEqual({ bytes: offered.length, resumedFrom: 0 });
    expect(keys(home)).toEqual([null, null]);
    home.requests.length = 0;
    expect(await download(`${home.url}/a`)).toEqual({ bytes: offered.length, resumedFrom: 0 }); // no Range support: starts over
    expect(keys(home)).toEqual([KEY, KEY]);
    home.on('/loop', redirect('/loop'));
    const err = await download(`${home.url}/loop`).catch((e: unknown) => e);
    expect((err as DownloadError).message).toMatch(/more than 5 redirects/);
  });
});

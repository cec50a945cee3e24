/**
 * Model sync end to end: a loopback download server, real files in a temporary data folder, and real
 * onnxruntime workers. The models are suite-built YOLO graphs with fixed outputs, so which model is running
 * shows in what it detects: model A always sees a can, model B always sees a PET bottle.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/detection/manifest.js';
import { setLogLevel } from '../../../src/log/logger.js';
import { ModelRuntime } from '../../../src/detection/model-runtime.js';
import { ModelStore } from '../../../src/detection/model-store.js';
import type { ModelAnnouncement } from '../../../src/detection/model-sync/announcement.js';
import { ModelSync, type ModelSyncState } from '../../../src/detection/model-sync/model-sync.js';
import { buildConstantModel } from '../../helpers/onnx.js';
import { demoImage, tempDir, tinyYoloManifest, tinyYoloModel, writeModel } from '../../helpers/detection.js';
import { startModelServer, type ModelServer } from '../../helpers/model-server.js';

const box = { cx: 32, cy: 32, w: 20, h: 40 };
const modelA = tinyYoloModel([{ ...box, scores: [0.05, 0.93, 0.01, 0.01] }], 'A');
const modelB = tinyYoloModel([{ ...box, scores: [0.95, 0.02, 0.01, 0.01] }], 'B');
const sample = readFileSync(demoImage('coffee.png'));

describe('ModelSync', () => {
  let server: ModelServer;
  let tmp: { dir: string; remove: () => void };
  let store: ModelStore;
  let runtime: ModelRuntime;
  let sync: ModelSync;
  let states: ModelSyncState[];

  beforeAll(async () => {
    setLogLevel('error'); // every failure below is logged as a warning on purpose
    server = await startModelServer();
  });
  afterAll(async () => {
    setLogLevel('warn');
    await server.close();
  });

  beforeEach(async () => {
    server.requests.length = 0;
    tmp = tempDir();
    const baseDir = path.join(tmp.dir, 'base');
    mkdirSync(baseDir);
    store = new ModelStore(path.join(tmp.dir, 'data', 'models'), writeModel(baseDir, modelA, tinyYoloManifest(modelA)));
    runtime = await startRuntime();
    states = [];
    sync = new ModelSync({
      fetch,
      source: () => ({ baseUrl: server.baseUrl, headers: { 'X-RVM-API-KEY': 'test-key' } }),
      store,
      runtime,
      template: async () => runtime.current!.model.manifest,
      sampleFrame: async () => sample,
      maxBytes: 10_000_000,
      onState: (s) => states.push(s),
    });
  });

  afterEach(async () => {
    await runtime.close();
    tmp.remove();
  });

  async function startRuntime(): Promise<ModelRuntime> {
    const r = new ModelRuntime(store, { threads: 1, timeoutMs: 20_000 }, () => undefined);
    await r.start();
    return r;
  }
  const seen = async (r = runtime) => (await r.detect(sample)).detections.map((d) => d.label);
  const announce = (bytes: Buffer, version: string, served: Buffer = bytes): ModelAnnouncement => {
    const sha256 = sha256Hex(bytes);
    const url = `/api/v1/edge/download-model/${sha256}`;
    server.serve(url, { body: served });
    return { version, sha256, url };
  };
  const requestsFor = (a: ModelAnnouncement) => server.requests.filter((r) => r.path === a.url);
  const installedFolders = () => readdirSync(store.root).filter((f) => f !== 'downloads' && f !== 'active.json');

  it('downloads, verifies, proves and swaps in the announced model, and can roll back', async () => {
    expect(await seen()).toEqual(['can']);
    const a = announce(modelB, '2.0.0');
    expect(await sync.check(a)).toMatchObject({ result: 'updated', version: '2.0.0' });
    expect(await seen()).toEqual(['pet_bottle']);
    expect(runtime.current!.model.manifest).toMatchObject({ version: '2.0.0', sha256: a.sha256, decoder: { kind: 'yolo' } });
    expect(states.map((s) => s.phase)).toEqual(expect.arrayContaining(['downloading', 'verifying', 'trial', 'swapped']));
    expect(states.find((s) => s.phase === 'verifying')).toMatchObject({ receivedBytes: modelB.length, totalBytes: modelB.length });
    expect(requestsFor(a)[0]!.headers['x-rvm-api-key']).toBe('test-key');

    const restarted = await startRuntime();
    expect(await seen(restarted)).toEqual(['pet_bottle']);
    await restarted.close();

    expect(runtime.canRollback).toBe(true);
    await runtime.rollback();
    expect(await seen()).toEqual(['can']);
  });

  it('does nothing when the announced hash is the running model', async () => {
    const a = announce(modelA, '1.0.0');
    expect(await sync.check(a)).toEqual({ result: 'up_to_date' });
    expect(requestsFor(a)).toHaveLength(0);
  });

  it('wrong bytes: keeps the current model, says why, deletes them, and does not fetch that hash again', async () => {
    const a = announce(modelB, '2.0.0', tinyYoloModel([{ ...box, scores: [0, 0, 0.9, 0] }], 'tampered'));
    const outcome = await sync.check(a);
    expect(outcome).toMatchObject({ result: 'failed', failure: 'hash_mismatch' });
    expect(sync.state).toMatchObject({ phase: 'failed', failure: 'hash_mismatch', detail: expect.stringContaining(a.sha256) });
    expect(await seen()).toEqual(['can']);
    expect(existsSync(store.partFile(a.sha256))).toBe(false);
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'hash_mismatch', detail: expect.stringMatching(/not retried/) });
    expect(requestsFor(a)).toHaveLength(1);
  });

  it('truncated download: keeps the current model, then resumes from where it stopped', async () => {
    const a = announce(modelB, '2.0.0');
    server.serve(a.url, { body: modelB, truncateAfter: 40 });
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'truncated' });
    expect(await seen()).toEqual(['can']);
    expect(await sync.check(a)).toMatchObject({ result: 'updated' });
    expect(requestsFor(a).map((r) => r.range)).toEqual([undefined, 'bytes=40-']);
    expect(await seen()).toEqual(['pet_bottle']);
  });

  it('a file with the right hash that is no model: not_onnx, current model kept, nothing left installed or downloaded', async () => {
    const junk = Buffer.from('these bytes hash fine but are not ONNX');
    const a = announce(junk, '2.0.0');
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'not_onnx', detail: expect.stringMatching(/ONNX only/) });
    expect(await seen()).toEqual(['can']);
    expect(installedFolders()).toEqual([]);
    expect(existsSync(store.partFile(a.sha256))).toBe(false);
  });

  it("a PyTorch model's bytes (a zip) under an innocent name: not_onnx naming the format, not fetched again", async () => {
    const pt = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
    const a = announce(pt, '2.0.0');
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'not_onnx', detail: expect.stringMatching(/zip archive \(a PyTorch \.pt model\)/) });
    expect(await sync.check(a)).toMatchObject({ failure: 'not_onnx', detail: expect.stringMatching(/not retried/) });
    expect(requestsFor(a)).toHaveLength(1);
  });

  it('a .pt model URL (what MyRVM-Server stores) is refused before anything is downloaded', async () => {
    const a: ModelAnnouncement = { version: '2.0.0', sha256: sha256Hex(modelB), url: '/storage/models/best.pt' };
    server.serve(a.url, { body: modelB });
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'not_onnx', detail: expect.stringMatching(/PyTorch \.pt model/) });
    expect(sync.state).toMatchObject({ phase: 'failed', failure: 'not_onnx' });
    expect(requestsFor(a)).toHaveLength(0);
    expect(await seen()).toEqual(['can']);
  });

  it('a bare 401 (a user token wanted) is needs_user_token, and not blacklisted: the next announcement tries again', async () => {
    const a: ModelAnnouncement = { version: '2.0.0', sha256: sha256Hex(modelB), url: '/bare-401' };
    server.serve(a.url, { body: Buffer.from('{"message":"Unauthenticated."}'), status: 401 });
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'needs_user_token', detail: expect.stringMatching(/needs a user token/) });
    // Not put on the "rejected" list: the next handshake's announcement tries the same hash again.
    expect(await sync.check(a)).toMatchObject({ failure: 'needs_user_token', detail: expect.not.stringMatching(/not retried/) });
    expect(requestsFor(a)).toHaveLength(2);
  });

  it('a model that loads but cannot be decoded on a sample frame: trial_failed, current model kept', async () => {
    const wrongShape = buildConstantModel({
      inputName: 'images',
      inputDims: [1, 3, 64, 64],
      outputName: 'output0',
      outputDims: [1, 5, 2],
      output: new Array(10).fill(0.5),
    });
    const outcome = await sync.check(announce(wrongShape, '2.0.0'));
    expect(outcome).toMatchObject({ result: 'failed', failure: 'trial_failed', detail: expect.stringMatching(/YOLO output must be/) });
    expect(await seen()).toEqual(['can']);
    expect(runtime.current!.model.manifest.version).toBe('1.0.0');
  });

  it('an HTTP error keeps the current model and reports the status', async () => {
    const a: ModelAnnouncement = { version: '2.0.0', sha256: sha256Hex(modelB), url: '/api/v1/edge/download-model/unknown' };
    expect(await sync.check(a)).toMatchObject({ result: 'failed', failure: 'http_error', detail: expect.stringMatching(/HTTP 404/) });
    expect(await seen()).toEqual(['can']);
  });
});

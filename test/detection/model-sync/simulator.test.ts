/**
 * Model sync against the MyRVM server simulator (src/server/simulator): the handshake announces the model,
 * the download route serves it with the machine's API key. Byte-level faults (truncation, wrong bytes) are
 * covered against test/helpers/model-server.ts in model-sync.test.ts; here the simulator's own faults are used.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelRuntime } from '../../../src/detection/model-runtime.js';
import { ModelStore } from '../../../src/detection/model-store.js';
import { fromHandshake } from '../../../src/detection/model-sync/announcement.js';
import { ModelSync } from '../../../src/detection/model-sync/model-sync.js';
import { setLogLevel } from '../../../src/log/logger.js';
import { startServerSimulator, type ServerSimulator } from '../../../src/server/simulator/server-simulator.js';
import { demoImage, tempDir, tinyYoloManifest, tinyYoloModel, writeModel } from '../../helpers/detection.js';

const box = { cx: 32, cy: 32, w: 20, h: 40 };
const running = tinyYoloModel([{ ...box, scores: [0.05, 0.93, 0.01, 0.01] }], 'running');
const offered = tinyYoloModel([{ ...box, scores: [0.95, 0.02, 0.01, 0.01] }], 'offered');
const sample = readFileSync(demoImage('coffee.png'));

describe('ModelSync against the server simulator', () => {
  let sim: ServerSimulator;
  let tmp: { dir: string; remove: () => void };
  let runtime: ModelRuntime;
  let sync: ModelSync;
  let apiKey: string;

  let designed = true;
  beforeEach(async () => {
    setLogLevel('error');
    sim = await startServerSimulator({ designed, models: [{ name: 'rvm-yolo', version: '2.0.0', bytes: offered }] });
    apiKey = sim.credentials.api_key;
    tmp = tempDir();
    mkdirSync(path.join(tmp.dir, 'base'));
    const store = new ModelStore(path.join(tmp.dir, 'models'), writeModel(path.join(tmp.dir, 'base'), running, tinyYoloManifest(running)));
    runtime = new ModelRuntime(store, { threads: 1, timeoutMs: 20_000 }, () => undefined);
    await runtime.start();
    sync = new ModelSync({
      fetch,
      source: () => ({ baseUrl: sim.url, headers: { 'X-RVM-API-KEY': apiKey } }),
      store,
      runtime,
      template: async () => runtime.current!.model.manifest,
      sampleFrame: async () => sample,
      maxBytes: 10_000_000,
      onState: () => undefined,
    });
  });
  afterEach(async () => {
    setLogLevel('warn');
    await runtime.close();
    await sim.close();
    tmp.remove();
  });

  async function handshakeAnnouncement() {
    const res = await fetch(`${sim.url}/api/v1/edge/handshake`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-RVM-API-KEY': apiKey },
      body: JSON.stringify({ hardware_id: sim.credentials.serial_number, name: 'kiosk-test', ip_local: null }),
    });
    const reply = (await res.json()) as { data: { ai_model: unknown } };
    return fromHandshake(reply.data.ai_model);
  }
  const seen = async () => (await runtime.detect(sample)).detections.map((d) => d.label);

  it('takes the model the handshake announces and swaps it in', async () => {
    const announcement = await handshakeAnnouncement();
    expect(announcement).toMatchObject({ version: '2.0.0' });
    expect(await seen()).toEqual(['can']);
    expect(await sync.check(announcement!)).toMatchObject({ result: 'updated', version: '2.0.0' });
    expect(await seen()).toEqual(['pet_bottle']);
  });

  it('a refused download (wrong API key) and a dropped connection keep the current model; a retry succeeds', async () => {
    const announcement = (await handshakeAnnouncement())!;
    apiKey = 'wrong-key';
    expect(await sync.check(announcement)).toMatchObject({ result: 'failed', failure: 'http_error', detail: expect.stringMatching(/HTTP 401/) });
    apiKey = sim.credentials.api_key;
    sim.faults.add({ kind: 'drop', path: '/api/v1/edge/download-model', times: 1 });
    expect(await sync.check(announcement)).toMatchObject({ result: 'failed', failure: 'http_error' });
    expect(await seen()).toEqual(['can']);
    expect(await sync.check(announcement)).toMatchObject({ result: 'updated' });
    expect(await seen()).toEqual(['pet_bottle']);
  });

  describe("today's server (designed off): the download wants a user token", () => {
    beforeAll(() => void (designed = false));
    afterAll(() => void (designed = true));

    it('reports needs_user_token (in words a technician can act on) and keeps the current model', async () => {
      const announcement = (await handshakeAnnouncement())!;
      expect(announcement).toMatchObject({ version: '2.0.0' });
      expect(await sync.check(announcement)).toMatchObject({ result: 'failed', failure: 'needs_user_token', detail: expect.stringMatching(/needs a user token for model download/) });
      expect(sync.state).toMatchObject({ phase: 'failed', failure: 'needs_user_token' });
      expect(await seen()).toEqual(['can']);
    });
  });
});

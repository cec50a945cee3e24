/**
 * setupDetection in demo mode, through the core's contract: the shipped model on the shipped photos, the
 * "item present" trigger, the technician commands, and a model update offered the way the server link will
 * (handshake announcement + base URL), served from a loopback download server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHandshake, setupDetection, type DetectionClassifier } from '../../src/app/setup-detection.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { DetectionState } from '../../src/contract/detection.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { sha256Hex } from '../../src/detection/manifest.js';
import { repoRoot, tempDir } from '../helpers/detection.js';
import { eventually } from '../helpers/eventually.js';
import { FakeMachine } from '../helpers/fake-ports.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { testContext } from '../helpers/context.js';

type State = import('zod').output<typeof DetectionState>;

/** The demo model plus a protobuf doc_string field: new bytes (and sha256), the same network. */
function centernetVariant(note: string): Buffer {
  const original = readFileSync(path.join(repoRoot, 'assets', 'models', 'centernet.onnx'));
  const text = Buffer.from(note);
  return Buffer.concat([original, Buffer.from([(6 << 3) | 2, text.length]), text]);
}

describe('setupDetection (demo mode)', () => {
  const tmp = tempDir();
  const core = new KioskCore();
  const machine = new FakeMachine();
  const states: State[] = [];
  let classifier: DetectionClassifier;
  let server: ModelServer;

  beforeAll(async () => {
    server = await startModelServer();
    core.subscribe((name, payload) => name === 'detection.state' && states.push(payload as State));
    const config = kioskConfig.parse({ dataDir: tmp.dir, detection: { settleMs: 10 } });
    classifier = await setupDetection(testContext(config, { core }), machine);
  });
  afterAll(async () => {
    await core.dispose();
    await server.close();
    tmp.remove();
  });

  it('publishes a ready state for the shipped model and the demo folder camera', async () => {
    expect(states.at(-1)).toMatchObject({ status: 'ready', model: { version: '1.0.0', source: 'base' }, camera: { kind: 'folder' } });
    expect(await core.call('detection.status', {})).toEqual(states.at(-1));
  });

  it('photographs on "item present" after the settle delay, and classifies that photo', async () => {
    expect(states.at(-1)!.camera.status).toBe('unknown');
    machine.emit('itemPresent');
    // The camera's first photo (chelsea.png) turns its status to ok: the trigger has taken it.
    await eventually(() => states.at(-1)!.camera.status === 'ok', { what: 'the triggered photo (camera status ok)' });
    // A technician capture in between takes the next photo (coffee.png) and returns a small preview.
    const test = await core.call('detection.testCapture', {});
    expect(test).toMatchObject({ origin: 'coffee.png', accepted: true, material: 'glass' });
    expect(test.preview).toMatch(/^data:image\/jpeg;base64,/);
    expect(Buffer.from(test.preview!.split(',')[1]!, 'base64').length).toBeLessThan(60_000);
    // The item's classification uses the photo the trigger took, not a new one.
    expect(await classifier.classify(250)).toMatchObject({ accepted: false, reason: 'not_a_container' });
    expect(core.current('detection.result')).toMatchObject({ origin: 'chelsea.png', reason: 'not_a_container', weightGrams: 250 });
  });

  it('model update: nothing announced, then up to date, then a new model downloaded and swapped in', async () => {
    expect(await core.call('detection.checkModelUpdate', {})).toMatchObject({ outcome: 'no_announcement' });
    await expect(core.call('detection.rollbackModel', {})).rejects.toThrow(/no previous model/);

    const shipped = fromHandshake({ target_version: 'v1.0.0', hash: states.at(-1)!.model!.sha256, update_source_url: 'https://x/y' });
    classifier.offerModel(shipped, { baseUrl: server.baseUrl });
    expect(await core.call('detection.checkModelUpdate', {})).toMatchObject({ outcome: 'up_to_date' });

    const bytes = centernetVariant('rvm test build 1.0.1');
    const hash = sha256Hex(bytes);
    server.serve(`/api/v1/edge/download-model/${hash}`, { body: bytes });
    // As the handshake gives it: an absolute URL on the server's host.
    classifier.offerModel(fromHandshake({ target_version: '1.0.1', hash, update_source_url: `${server.baseUrl}/api/v1/edge/download-model/${hash}` }), {
      baseUrl: server.baseUrl,
      headers: { 'X-RVM-API-KEY': 'k' },
    });
    await eventually(() => ['swapped', 'failed'].includes(states.at(-1)!.modelSync.phase), { what: 'the model sync to finish', timeoutMs: 20_000 });
    expect(states.at(-1)).toMatchObject({ model: { version: '1.0.1', sha256: hash, source: 'synced' }, canRollback: true, modelSync: { phase: 'swapped' } });
    expect(states.some((s) => s.modelSync.phase === 'downloading' && s.modelSync.totalBytes === bytes.length)).toBe(true);
    expect(await classifier.classify()).toMatchObject({ accepted: false, reason: 'multiple_objects' }); // dog.jpg, same network
    expect(core.current('detection.result')).toMatchObject({ origin: 'dog.jpg' });

    const back = await core.call('detection.rollbackModel', {});
    expect(back).toMatchObject({ model: { version: '1.0.0', source: 'base' } });
  });
});

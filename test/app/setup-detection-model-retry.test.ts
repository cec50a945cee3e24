/**
 * When model sync tries again (src/app/setup-detection.ts): a transient failure (HTTP 500) on the retry timer,
 * a download that needs a user token (today's MyRVM-Server: bare 401) only at the next handshake's offer,
 * never on the timer. Retry period shortened to 30 ms so "not retried" covers many periods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupDetection, type DetectionClassifier } from '../../src/app/setup-detection.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { DetectionState } from '../../src/contract/detection.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { setLogLevel } from '../../src/log/logger.js';
import { tempDir } from '../helpers/detection.js';
import { eventually } from '../helpers/eventually.js';
import { FakeMachine } from '../helpers/fake-ports.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { testContext } from '../helpers/context.js';

type State = import('zod').output<typeof DetectionState>;
const RETRY_MS = 30;
const hash = (c: string) => c.repeat(64);

describe('model sync retries (setupDetection)', () => {
  const tmp = tempDir();
  const core = new KioskCore();
  let classifier: DetectionClassifier;
  let server: ModelServer;
  const sync = () => (core.current('detection.state') as State | undefined)?.modelSync;
  const requests = (path: string) => server.requests.filter((r) => r.path === path).length;

  beforeAll(async () => {
    setLogLevel('error');
    server = await startModelServer();
    server.serve('/flaky', { body: Buffer.alloc(0), status: 500 });
    server.serve('/needs-user', { body: Buffer.alloc(0), status: 401 });
    const config = kioskConfig.parse({ dataDir: tmp.dir, detection: { modelSync: { retryMinutes: RETRY_MS / 60_000 } } });
    classifier = await setupDetection(testContext(config, { core }), new FakeMachine());
  });
  afterAll(async () => {
    setLogLevel('warn');
    await core.dispose();
    await server.close();
    tmp.remove();
  });

  it('retries an HTTP 500 on the timer', async () => {
    classifier.offerModel({ version: '2.0.0', sha256: hash('a'), url: '/flaky' }, { baseUrl: server.baseUrl });
    await eventually(() => requests('/flaky') >= 3, { what: 'timer retries of the 500' });
  });

  it('a 401 without error code: shown as needs_user_token, not retried on the timer, retried at the next handshake', async () => {
    classifier.offerModel({ version: '2.0.0', sha256: hash('b'), url: '/needs-user' }, { baseUrl: server.baseUrl });
    await eventually(() => sync()?.failure === 'needs_user_token', { what: 'the needs_user_token state' });
    expect(sync()).toMatchObject({ phase: 'failed', detail: expect.stringMatching(/needs a user token for model download/) });
    const flakyBefore = requests('/flaky');
    const since = Date.now();
    await eventually(() => Date.now() - since >= 20 * RETRY_MS, { what: 'twenty retry periods' });
    expect(requests('/needs-user')).toBe(1);
    // The 500's timer was replaced by the new announcement, so it is quiet too.
    expect(requests('/flaky')).toBe(flakyBefore);

    classifier.offerModel({ version: '2.0.0', sha256: hash('b'), url: '/needs-user' }, { baseUrl: server.baseUrl });
    await eventually(() => requests('/needs-user') === 2, { what: 'the try at the next handshake' });
  });
});

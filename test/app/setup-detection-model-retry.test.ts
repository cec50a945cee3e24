/**
 * When model sync tries again (src/app/setup-detection.ts): a transient failure (HTTP 500) on the retry timer,
 * a download that needs a user token (today's MyRVM-Server: bare 401) only at the next handshake's offer,
 * never on the timer. Retry period shortened to 30 ms so "not retried" covers many periods.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
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

  it('a failure of an older announcement, answered after a newer one came, schedules no retry', async () => {
    // The 500 arrives 300 ms late: meanwhile the next handshake announces a model that needs a user token.
    // Both announcements then hear that one 500. Jitter alternating high/low makes the first-armed retry timer
    // (the stale announcement's, armed in the bug) fire 15 ms after the newer one's, after a retry that could
    // cancel it has run: it would try the 401 model a second time.
    let flip = 0;
    const random = vi.spyOn(Math, 'random').mockImplementation(() => (flip++ % 2 === 0 ? 0.999 : 0));
    onTestFinished(() => random.mockRestore());
    server.serve('/slow-flaky', { body: Buffer.alloc(0), status: 500, delayMs: 300 });
    classifier.offerModel({ version: '3.0.0', sha256: hash('c'), url: '/slow-flaky' }, { baseUrl: server.baseUrl });
    await eventually(() => requests('/slow-flaky') === 1, { what: 'the slow download under way' });
    const needsUserBefore = requests('/needs-user');
    classifier.offerModel({ version: '3.0.0', sha256: hash('d'), url: '/needs-user' }, { baseUrl: server.baseUrl });
    await eventually(() => requests('/needs-user') === needsUserBefore + 1 && sync()?.failure === 'needs_user_token', { what: 'the newer announcement tried' });
    const since = Date.now();
    await eventually(() => Date.now() - since >= 500 + 20 * RETRY_MS, { what: 'the late 500 and twenty retry periods' });
    // Before the fix the late 500 armed the retry timer, which then tried the newer (401) announcement again.
    expect(requests('/needs-user')).toBe(needsUserBefore + 1);
    expect(requests('/slow-flaky')).toBe(1);
  });
});

/**
 * The operator log of a whole demo kiosk (createKiosk): one guest session with one item through the real
 * deposit pipeline, and operator.jsonl answers "what happened to that bottle" — the session's start, the item
 * under that session with its outcome, the session's end with its totals, the controller link coming up, and
 * the kiosk's stop once it is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { createKiosk } from '../../src/app/create-kiosk.js';
import { eventually } from '../helpers/eventually.js';
import { readOperatorLog } from '../helpers/operator-log.js';

let kiosk: KioskContext;
let dataDir: string;
const lines = () => readOperatorLog(dataDir);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-operator-log-'));
  kiosk = await createKiosk(kioskConfig.parse({ dataDir }));
}, 60_000);
afterAll(async () => {
  await kiosk?.core.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('operator log of a demo kiosk', () => {
  it('records a guest session, its item with the outcome, its end, the controller link and the stop', async () => {
    const { core } = kiosk;
    await eventually(async () => (await core.call('detection.status', {})).status === 'ready', { what: 'the demo model to load', timeoutMs: 30_000 });
    await eventually(() => core.current('system.status')?.state === 'ready', { what: 'the machine to be ready', timeoutMs: 20_000 });
    const { sessionId } = await core.call('session.start', { mode: 'guest' });
    await core.call('hardware.simulateInsert', { kind: 'pet' });
    const item = await eventually(() => core.current('session.state')?.items[0] ?? false, { what: 'the item to settle', timeoutMs: 20_000 });
    await eventually(() => core.current('session.state')?.phase === 'active', { what: 'the session to take items again', timeoutMs: 20_000 });
    await core.call('session.finish', {});

    const logged = await eventually(() => {
      const all = lines();
      return all.some((l) => l.event === 'session.end') ? all : false;
    }, { what: 'the session end in operator.jsonl' });
    expect(logged[0]).toMatchObject({ event: 'kiosk.start', demoMode: true });
    expect(logged).toContainEqual(expect.objectContaining({ event: 'controller.link', status: 'connected', simulated: true }));
    expect(logged).toContainEqual(expect.objectContaining({ event: 'session.start', sessionId, start: 'guest' }));
    expect(logged).toContainEqual(
      expect.objectContaining({ event: 'item', sessionId, itemId: item.id, material: item.material, outcome: item.outcome, accepted: item.accepted, points: item.points, returned: item.returned }),
    );
    expect(logged.find((l) => l.event === 'session.end')).toMatchObject({ sessionId, mode: 'guest', ended: 'finished', items: 1, points: item.points });

    await core.dispose();
    expect(lines().at(-1)).toMatchObject({ event: 'kiosk.stop' });
  }, 90_000);
});

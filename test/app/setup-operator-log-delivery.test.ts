/**
 * "My bottle didn't count", end to end in a demo kiosk (createKiosk): an accepted item goes through the real
 * deposit pipeline, the outbox delivers its credit to the server simulator on loopback, and operator.jsonl holds
 * the item under its session and then the delivery of that same item id with the server's answer — so one
 * `jq 'select(.itemId == "<id>")'` answers the question.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { createKiosk } from '../../src/app/create-kiosk.js';
import { eventually } from '../helpers/eventually.js';
import { readOperatorLog } from '../helpers/operator-log.js';

let kiosk: KioskContext;
let dataDir: string;
const lines = () => readOperatorLog(dataDir);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-operator-log-delivery-'));
  kiosk = await createKiosk(kioskConfig.parse({ dataDir }));
}, 60_000);
afterAll(async () => {
  await kiosk?.core.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('writes the delivery of an accepted item\'s credit under the item\'s own id, with the server\'s reply', async () => {
  const { core } = kiosk;
  await eventually(async () => (await core.call('detection.status', {})).status === 'ready', { what: 'the demo model to load', timeoutMs: 30_000 });
  await eventually(() => core.current('system.status')?.state === 'ready', { what: 'the machine to be ready', timeoutMs: 20_000 });
  await eventually(() => core.current('server.state')?.link === 'online', { what: 'the link to be online', timeoutMs: 20_000 });
  const { sessionId } = await core.call('session.start', { mode: 'guest' });
  await core.call('detection.selectPhoto', { file: 'coffee.png' }); // the demo model takes the cup as glass
  await core.call('hardware.simulateInsert', { kind: 'glass', weightGrams: 300 });
  const item = await eventually(() => core.current('session.state')?.items[0] ?? false, { what: 'the item to settle', timeoutMs: 20_000 });
  expect(item).toMatchObject({ accepted: true });

  const delivered = await eventually(() => lines().find((l) => l.event === 'credit.delivery' && l.itemId === item.id) ?? false, {
    what: 'the delivery line for the item',
    timeoutMs: 20_000,
  });
  expect(delivered).toMatchObject({ itemId: item.id, sessionId, delivered: true, outcome: 'delivered', reply: expect.stringMatching(/^accepted \((deposit|sync-offline)\)$/) });
  const aboutItem = lines().filter((l) => l.itemId === item.id).map((l) => l.event);
  expect(aboutItem).toEqual(['item', 'credit.delivery']);
}, 90_000);

/**
 * The whole kiosk (createKiosk) against the MyRVM server simulator on loopback, with realtime: a guest
 * session the server registered (`POST /api/v1/kiosk/session/guest` → `guest_…`) sends its deposit with the
 * server's id as session_id; realtime `item.processed` reaches the screen as a `server.notice` code (never the
 * server's words); and a member's balance from `session.authorized` reaches the session state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { createKiosk } from '../../src/app/create-kiosk.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { eventually } from '../helpers/eventually.js';

describe('server session id, notices and balance, kiosk → server simulator', () => {
  let sim: ServerSimulator;
  let kiosk: KioskContext;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startServerSimulator({});
    sim.state.confidenceThreshold = 0.4; // the demo cup scores about 0.51 with the demo model
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-server-session-'));
    kiosk = await createKiosk(
      kioskConfig.parse({
        dataDir,
        hardware: { mode: 'simulator', simulator: { timings: 'instant' } },
        server: {
          mode: 'remote',
          url: sim.url,
          credentials: sim.credentials,
          handshakeFirstDelayMs: 50,
          handshakeCapMs: 1_000,
          realtime: { appKey: sim.pusherAppKey, host: '127.0.0.1', port: sim.port, scheme: 'ws' },
        },
        outbox: { flushDelayMs: 0 },
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await kiosk?.core.dispose();
    await sim?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("sends a guest's deposit with the server's guest_… id as session_id", async () => {
    const { core } = kiosk;
    await eventually(async () => (await core.call('detection.status', {})).status === 'ready', { what: 'the demo model to load', timeoutMs: 30_000 });
    await eventually(() => core.current('server.state')?.link === 'online', { what: 'the link to be online', timeoutMs: 20_000 });
    await eventually(() => core.current('system.status')?.state === 'ready', { what: 'the machine to be ready', timeoutMs: 20_000 });
    await core.call('session.start', { mode: 'guest' });
    const serverId = await eventually(() => core.current('session.state')?.serverSessionId ?? false, { what: "the server's guest id in the session" });
    expect(sim.state.guestSessions).toEqual([serverId]);
    expect(serverId).toMatch(/^guest_(?!local)/);
    const localId = core.current('session.state')!.sessionId;
    expect(localId).not.toBe(serverId);

    await core.call('detection.selectPhoto', { file: 'coffee.png' });
    await core.call('hardware.simulateInsert', { kind: 'glass', weightGrams: 300 });
    const item = await eventually(() => core.current('session.state')?.items[0] ?? false, { what: 'the item to be processed', timeoutMs: 20_000 });
    expect(item).toMatchObject({ accepted: true });
    const deposit = await eventually(() => sim.state.deposits.find((d) => d.clientId === item.id) ?? false, { what: 'the deposit at the server', timeoutMs: 20_000 });
    expect(deposit.sessionId).toBe(serverId);
    await core.call('session.finish', {});
  }, 60_000);

  it('shows realtime item.processed as a notice code with its points, without the server text', async () => {
    const { core } = kiosk;
    await eventually(() => core.current('server.state')?.realtime === 'realtime', { what: 'realtime to be up', timeoutMs: 15_000 });
    const before = Date.now();
    sim.publish('item.processed', { session_id: 'guest_x', accepted: true, item_type: 'PET', points_awarded: 12, rejection_reason: 'Server English', timestamp: new Date().toISOString() });
    const notice = await eventually(() => {
      const n = core.current('server.notice');
      return n && n.at >= before ? n : false;
    }, { what: 'the notice on the UI stream' });
    expect(notice).toEqual({ code: 'item_accepted', points: 12, material: 'pet', at: expect.any(Number) });
    expect(JSON.stringify(notice)).not.toContain('Server English');
  });

  it("puts the member's balance from session.authorized in the session state", async () => {
    const { core } = kiosk;
    await eventually(() => ['idle', 'finished'].includes(core.current('session.state')?.phase ?? ''), { what: 'no session running' });
    await core.call('session.start', { mode: 'qr' });
    await eventually(() => core.current('session.state')?.qr ?? false, { what: 'a QR code on screen' });
    sim.publish('session.authorized', { session_id: 'sess_member_1', user: { id: 7, name: 'Siti', balance: 1250 }, timestamp: new Date().toISOString() });
    const state = await eventually(() => {
      const s = core.current('session.state');
      return s?.phase === 'active' ? s : false;
    }, { what: 'the member session to start' });
    expect(state).toMatchObject({ userName: 'Siti', balance: 1250, mode: 'member' });
    await core.call('session.cancel', {});
  });
});

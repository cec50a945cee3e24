/**
 * Technician rights belong to the WebSocket that entered the PIN. The whole demo kiosk (machine and server
 * simulators, the simulator's PIN set through the config as in test/e2e/maintenance.test.ts) behind the
 * browser host, and two real WebSocket clients on loopback: A enters the PIN; B — another page, another tab,
 * a script on the machine — still gets `forbidden` for technician commands; when A goes, so does the mode.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serverConfig } from '../../../src/server/config.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestKiosk, type TestKiosk } from '../../helpers/kiosk.js';

const PIN = String(randomInt(100_000, 1_000_000));

/** A contract client over a real WebSocket, sending the page's Origin as a browser would. */
class Screen {
  private nextId = 1;
  private readonly replies = new Map<number, (reply: Record<string, unknown>) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message.type === 'reply') this.replies.get(message.id as number)?.(message);
    });
  }

  static open(hostUrl: string): Promise<Screen> {
    const url = new URL(hostUrl);
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${url.host}/kiosk`, { headers: { Origin: url.origin } });
      socket.once('open', () => resolve(new Screen(socket)));
      socket.once('error', reject);
    });
  }

  call(name: string, payload: unknown = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.socket.send(JSON.stringify({ type: 'command', id, name, payload }));
    });
  }
}

let kiosk: TestKiosk;
let a: Screen;
let b: Screen;

beforeAll(async () => {
  kiosk = await startTestKiosk({ server: serverConfig.parse({ simulator: { pin: PIN } }) });
  a = await Screen.open(kiosk.host.url);
  b = await Screen.open(kiosk.host.url);
});
afterAll(async () => {
  a?.socket.close();
  b?.socket.close();
  await kiosk?.stop();
});

it('lets only the connection that entered the PIN run technician commands, and ends the mode when it closes', async () => {
  const ping = { action: 'ping' };
  expect(await a.call('hardware.test', ping)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  expect(await a.call('maintenance.enter', { pin: PIN })).toMatchObject({ ok: true, result: { ok: true } });
  expect(kiosk.kiosk.core.current('system.status')?.state).toBe('maintenance');

  expect(await b.call('hardware.test', ping)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await b.call('outbox.push', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await a.call('hardware.test', ping)).toMatchObject({ ok: true, result: { action: 'ping', ok: true } });

  // B can neither end the technician's mode nor keep it open for them.
  expect(await b.call('maintenance.exit')).toMatchObject({ ok: true, result: { active: true } });
  expect(await a.call('hardware.test', ping)).toMatchObject({ ok: true });

  a.socket.close();
  await eventually(() => kiosk.kiosk.core.current('maintenance.state')?.active === false, { what: 'maintenance mode to end with the technician connection' });
  expect(kiosk.kiosk.core.current('system.status')?.state).not.toBe('maintenance');
  expect(await b.call('hardware.test', ping)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

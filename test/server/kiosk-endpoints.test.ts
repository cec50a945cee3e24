/** Contract tests of the kiosk calls (X-Machine-UUID) against the simulator, quirks included. */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { guestSession, kioskConfig, maintenanceCommand, sessionToken } from '../../src/server/endpoints/kiosk.js';
import { authenticatePin } from '../../src/server/pin-auth.js';
import { cleanupServerSims, makeClient, startSim } from '../helpers/server-sim.js';

afterEach(cleanupServerSims);

describe('QR session token and guest session', () => {
  it('issues a 64-hex token for 300 s with the myrvm:// QR content', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const result = await sessionToken(client);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { token, expires_in, qr_content } = result.data.data;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(expires_in).toBe(300);
    expect(qr_content).toBe(`myrvm://session/${token}?m=${sim.machineUuid}`);
  });

  it('starts a guest session as "Tamu Dermawan"', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const result = await guestSession(client);
    expect(result.ok && result.data.data).toMatchObject({ type: 'guest', display_name: 'Tamu Dermawan' });
    expect(result.ok && result.data.data.session_id).toMatch(/^guest_.{16}$/);
  });

  it('answers 400 without the X-Machine-UUID header', async () => {
    const sim = await startSim();
    const raw = await fetch(`${sim.url}/api/v1/kiosk/session/token`, { headers: { Accept: 'application/json' } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ success: false, message: 'Machine UUID header is required.' });
  });
});

describe('technician PIN', () => {
  it('accepts the assignment PIN as a 6-character string', async () => {
    const sim = await startSim({ pin: '004217', technicianName: 'Sari' });
    const { client } = makeClient(sim);
    const result = await authenticatePin(client, '004217');
    expect(result).toMatchObject({ kind: 'ok', technicianName: 'Sari', assignmentId: sim.state.assignments[0]!.id });
    // Two hours, by the server's clock (same machine here).
    expect(result.kind === 'ok' && result.expiresAt! - Date.now()).toBeGreaterThan(7_000_000);
    expect(result.kind === 'ok' && result.permissions).toEqual({ view_logs: true, view_status: true, test_hardware: true, toggle_theme: true });
  });

  it('rejects a PIN sent as a JSON number with 422, as the real server does', async () => {
    const sim = await startSim({ pin: '123456' });
    const { client } = makeClient(sim);
    const result = await client.call({ method: 'POST', path: '/api/v1/kiosk/auth/pin', auth: 'kiosk', json: { pin: 123456 }, schema: z.unknown() });
    expect(result.ok ? 0 : result.status).toBe(422);
    expect(result.ok ? null : result.body).toMatchObject({ errors: { pin: ['The pin field must be a string.'] } });
  });

  it('counts down remaining attempts, then locks out for the hour with retry_after', async () => {
    const sim = await startSim({ pin: '111111' });
    const { client, delays } = makeClient(sim);
    const remaining: Array<number | undefined> = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await authenticatePin(client, '999999');
      expect(r.kind).toBe('wrong');
      remaining.push(r.kind === 'wrong' ? r.remainingAttempts : undefined);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const locked = await authenticatePin(client, '111111');
    expect(locked.kind).toBe('locked');
    expect(locked.kind === 'locked' && locked.retryAfterSec).toBeGreaterThan(3_500);
    expect(locked.kind === 'locked' && locked.message).toMatch(/^Terlalu banyak percobaan/);
    // Never retried: each try would count against the lockout.
    expect(delays).toEqual([]);
  });

  it('does not accept an assignment that is only "assigned" (PIN needs active)', async () => {
    const sim = await startSim({ pin: '222222', assignment: 'assigned' });
    const { client } = makeClient(sim);
    expect((await authenticatePin(client, '222222')).kind).toBe('wrong');
  });

  it('checks the PIN length locally, without spending a server attempt', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    expect((await authenticatePin(client, '12345')).kind).toBe('unavailable');
    expect(sim.state.hitsOn('/api/v1/kiosk/auth/pin')).toBe(0);
  });
});

describe('maintenance command report', () => {
  it('answers "sent" with a request id, refuses reboot_edge, validates the body first', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const assignment = sim.state.assignments[0]!.id;
    const ok = await maintenanceCommand(client, 'open_door', assignment);
    expect(ok.ok && ok.data.data.request_id).toMatch(/^cmd_[0-9a-f]+$/);
    const reboot = await maintenanceCommand(client, 'reboot_edge', assignment);
    expect(reboot).toMatchObject({ ok: false, message: 'Anda tidak memiliki izin untuk perintah ini.', status: 403 });
    const unknown = await maintenanceCommand(client, 'open_door', 999_999);
    expect(unknown.ok ? 0 : unknown.status).toBe(422);
  });
});

describe('kiosk config', () => {
  it('answers the fixed theme and timezone of today\'s server, and 404 for an unknown machine', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const result = await kioskConfig(client);
    expect(result.ok && result.data.data).toMatchObject({ machine_name: sim.credentials.name, theme_mode: 'auto', timezone: 'Asia/Jakarta', qr_refresh_interval: 300 });
    client.setMachineUuid('00000000-0000-4000-8000-000000000000');
    const unknown = await kioskConfig(client);
    expect(unknown.ok ? null : [unknown.status, unknown.message]).toEqual([404, 'Mesin tidak ditemukan.']);
  });
});

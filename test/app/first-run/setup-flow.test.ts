/**
 * First-run setup end to end in the core: an unprovisioned kiosk (remote server, no credentials) starts in the
 * `needed` state and refuses sessions; credentials from a folder standing in for a USB drive, the connection
 * tested against the server simulator on loopback, the controller simulator pinged over a socat pty, an
 * installer PIN set, finished — then sessions start and the setup commands are refused.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CommandError } from '../../../src/core/kiosk-core.js';
import { cleanupServerSims, startSim, type ServerSimulator } from '../../helpers/server-sim.js';
import { describeWithSocat } from '../../helpers/pty.js';
import { startControllerOnPty, startUnprovisioned, type Unprovisioned } from './rig.js';

let sim: ServerSimulator;
let kiosk: Unprovisioned;
let controller: Awaited<ReturnType<typeof startControllerOnPty>>;

describeWithSocat('first-run setup, the installer path', () => {
  beforeEach(async () => {
    sim = await startSim({ realtime: false });
    controller = await startControllerOnPty();
    kiosk = await startUnprovisioned(sim, { setup: { extraSerialPorts: [controller.hostPath] } });
  });
  afterEach(async () => {
    await kiosk.stop();
    await controller.stop();
    await cleanupServerSims();
  });

  it('starts in the needed state, refuses sessions, and walks to done', async () => {
    const { core } = kiosk.kiosk;
    expect(core.current('setup.state')).toMatchObject({ needed: true, step: 'credentials', credentials: { present: false } });
    expect(core.current('system.status')?.reasons.map((r) => r.code)).toContain('setup_needed');
    await expect(core.call('session.start', { mode: 'guest' })).rejects.toMatchObject({ reason: 'not_accepting' });

    // The drive lists only the file that is credentials; a file elsewhere is not importable.
    const { drives } = await core.call('setup.usbCredentials', {});
    expect(drives).toHaveLength(1);
    expect(drives[0]!.files).toEqual([path.join(kiosk.usbDir, 'rvm-credentials.json')]);
    expect(await core.call('setup.importCredentials', { file: '/etc/hostname' })).toEqual({ ok: false, serialNumber: null, error: 'not_found' });

    const imported = await core.call('setup.importCredentials', { file: drives[0]!.files[0]! });
    expect(imported).toEqual({ ok: true, serialNumber: sim.credentials.serial_number, error: null });
    expect(JSON.stringify(imported)).not.toContain(sim.credentials.api_key);
    const stored = path.join(kiosk.dataDir, 'rvm-credentials.json');
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    expect(core.current('setup.state')).toMatchObject({ step: 'connection', credentials: { present: true, serialNumber: sim.credentials.serial_number, serverUrl: sim.url } });
    expect(JSON.stringify(core.current('setup.state'))).not.toContain(sim.credentials.api_key);

    expect(await core.call('setup.testConnection', {})).toEqual({ result: 'ok' });
    expect(core.current('setup.state')).toMatchObject({ step: 'serial', connection: { result: 'ok' } });

    const { ports } = await core.call('setup.serialPorts', {});
    expect(ports).toContainEqual({ path: controller.hostPath, byId: false });
    await expect(core.call('setup.pingSerial', { path: '/dev/not-offered' })).rejects.toMatchObject({ reason: 'invalid_request' });
    expect(await core.call('setup.pingSerial', { path: controller.hostPath })).toEqual({ ping: 'ok' });
    expect(core.current('setup.state')).toMatchObject({ step: 'camera', serial: { path: controller.hostPath, ping: 'ok' } });

    const preview = await core.call('setup.cameraPreview', {});
    expect(preview.error).toBeNull();
    expect(Buffer.from(preview.jpegBase64 ?? '', 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(core.current('setup.state')?.step).toBe('pin');

    await expect(core.call('setup.finish', {})).rejects.toMatchObject({ reason: 'setup_incomplete' });
    expect(await core.call('setup.setInstallerPin', { pin: '482916' })).toEqual({ ok: true });
    const pinFile = path.join(kiosk.dataDir, 'maintenance', 'installer-pin.json');
    expect(statSync(pinFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(pinFile, 'utf8')).not.toContain('482916');

    expect(await core.call('setup.finish', {})).toEqual({ ok: true });
    expect(core.current('setup.state')).toMatchObject({ needed: false, step: 'done', installerPin: true });
    expect(core.current('system.status')?.reasons.map((r) => r.code)).not.toContain('setup_needed');
    // The simulator's pty is not a port to come back to: nothing persisted for it.
    expect(existsSync(path.join(kiosk.dataDir, 'operator-settings.json'))).toBe(false);
    expect((await core.call('session.start', { mode: 'guest' })).phase).not.toBe('idle');

    const refused = await core.call('setup.usbCredentials', {}).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CommandError);
    expect((refused as CommandError).reason).toBe('forbidden');
  });

  it('a UI connection needs no PIN while setup is needed', async () => {
    const reply = await kiosk.kiosk.core.dispatch({ type: 'command', id: 1, name: 'setup.serialPorts', payload: {} }, { connectionId: 'screen' });
    expect(reply.ok).toBe(true);
  });
});

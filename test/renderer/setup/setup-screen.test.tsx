/**
 * The first-run setup screen against a fake core: the whole happy path step by step, Next held shut until each
 * step's check passes, the app routing to it while setup is needed and away from it once finished.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../renderer/src/App.js';
import { SetupScreen } from '../../../renderer/src/screens/SetupScreen.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { mount, resetStore, settle, tap, type Mounted } from '../maintenance/harness.js';
import { fakeSetupCore } from './fake-setup-core.js';

const nextOpen = (view: Mounted) => !(view.byTestId('setup-next') as HTMLButtonElement).disabled;

async function typePin(view: Mounted, pin: string): Promise<void> {
  for (const digit of pin) await tap(view.byTestId(`setup-pin-${digit}`));
  await tap(view.byTestId('setup-pin-ok'));
  await settle();
}

describe('setup screen', () => {
  let view: Mounted | null = null;
  beforeEach(() => resetStore());
  afterEach(() => {
    view?.unmount();
    view = null;
    vi.restoreAllMocks();
  });

  it('walks credentials from USB → connection → serial ping → camera → PIN twice → finish', async () => {
    const core = fakeSetupCore();
    view = await mount(<SetupScreen />);
    await settle();
    expect(view.text('setup-heading')).toBe('Kredensial mesin');
    expect(nextOpen(view)).toBe(false);

    const file = view.byTestId('setup-usb-file');
    expect(file?.textContent).toBe('USB1 · rvm-credentials.json');
    await tap(file);
    expect(core.callsOf('setup.importCredentials')).toEqual([{ file: '/media/kiosk/USB1/rvm-credentials.json' }]);
    expect(view.text('setup-credentials-status')).toBe('Kredensial tersimpan untuk mesin RVM-0001.');
    expect(nextOpen(view)).toBe(true);
    await tap(view.byTestId('setup-next'));

    expect(view.text('setup-connection-result')).toBe('Koneksi belum diuji.');
    expect(nextOpen(view)).toBe(false);
    await tap(view.byTestId('setup-connection-test'));
    expect(view.text('setup-connection-result')).toBe('Terhubung: server menerima mesin ini.');
    await tap(view.byTestId('setup-next'));

    await settle();
    const ports = view.container.querySelectorAll<HTMLElement>('[data-testid="setup-serial-port"]');
    expect([...ports].map((p) => p.dataset.path)).toEqual(['/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00', '/dev/ttyUSB0']);
    expect(nextOpen(view)).toBe(false);
    await tap(ports[0]!);
    expect(core.callsOf('setup.pingSerial')).toEqual([{ path: '/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00' }]);
    expect(view.text('setup-serial-ping')).toBe('/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00: pengendali menjawab.');
    await tap(view.byTestId('setup-next'));

    await settle();
    expect(view.byTestId('setup-camera-image')?.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/AAAA');
    await tap(view.byTestId('setup-next'));

    expect(nextOpen(view)).toBe(false);
    await typePin(view, '482913');
    expect(core.callsOf('setup.setInstallerPin')).toEqual([]);
    await typePin(view, '482913');
    expect(core.callsOf('setup.setInstallerPin')).toEqual([{ pin: '482913' }]);
    expect(view.byTestId('setup-pin-message')?.dataset.message).toBe('saved');
    await tap(view.byTestId('setup-next'));

    expect(view.text('setup-done')).toContain('/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00');
    await tap(view.byTestId('setup-finish'));
    expect(core.callsOf('setup.finish')).toEqual([{}]);
    expect(kioskStore.getState().setup?.needed).toBe(false);
  });

  it('refuses two different PINs and starts the pair over', async () => {
    const core = fakeSetupCore();
    kioskStore.getState().setSetup({ ...core.state, step: 'pin' });
    view = await mount(<SetupScreen />);
    await typePin(view, '111111');
    await typePin(view, '222222');
    expect(view.byTestId('setup-pin-message')?.dataset.message).toBe('mismatch');
    expect(view.text('setup-pin-message')).toBe('Kedua PIN tidak sama. Mulai lagi.');
    expect(core.callsOf('setup.setInstallerPin')).toEqual([]);
    expect(nextOpen(view)).toBe(false);
  });

  it('says a refused connection in words and keeps Next shut', async () => {
    fakeSetupCore({ 'setup.testConnection': () => ({ result: 'refused' }) });
    kioskStore.getState().setSetup({ ...kioskStore.getState().setup!, step: 'connection', credentials: { present: true, serialNumber: 'RVM-9', serverUrl: 'https://x.id' } });
    view = await mount(<SetupScreen />);
    await tap(view.byTestId('setup-connection-test'));
    expect(view.byTestId('setup-connection-result')?.dataset.result).toBe('refused');
    expect(view.text('setup-connection-result')).toBe('Server menolak kredensial ini. Periksa nomor seri dan kunci API.');
    expect(nextOpen(view)).toBe(false);
  });

  it('says a port that does not answer, and one the system refuses, with the fix', async () => {
    fakeSetupCore({ 'setup.pingSerial': ({ path }) => ({ ping: path === '/dev/ttyUSB0' ? 'denied' : 'no_answer' }) });
    kioskStore.getState().setSetup({ ...kioskStore.getState().setup!, step: 'serial' });
    view = await mount(<SetupScreen />);
    await settle();
    const ports = view.container.querySelectorAll<HTMLElement>('[data-testid="setup-serial-port"]');
    await tap(ports[0]!);
    expect(view.byTestId('setup-serial-ping')?.dataset.ping).toBe('no_answer');
    await tap(ports[1]!);
    expect(view.text('setup-serial-ping')).toBe('/dev/ttyUSB0: akses ditolak. Tambahkan pengguna ke grup dialout.');
    expect(nextOpen(view)).toBe(false);
  });

  it('shows the camera error in words when there is no frame', async () => {
    fakeSetupCore({ 'setup.cameraPreview': () => ({ jpegBase64: null, error: 'no_camera' }) });
    kioskStore.getState().setSetup({ ...kioskStore.getState().setup!, step: 'camera' });
    view = await mount(<SetupScreen />);
    await settle();
    expect(view.text('setup-camera-error')).toBe('Kamera tidak ditemukan. Periksa kabelnya.');
  });

  it('is what the app shows while setup is needed, in English too, and gives way once finished', async () => {
    const core = fakeSetupCore();
    kioskStore.getState().setLanguage('en');
    view = await mount(<App />);
    await settle();
    expect(view.byTestId('setup-screen')).not.toBeNull();
    expect(view.text('setup-heading')).toBe('Machine credentials');
    expect(view.byTestId('attract-screen')).toBeNull();
    core.emit('setup.state', { ...core.state, needed: false, step: 'done' });
    expect(view.byTestId('setup-screen')).toBeNull();
  });
});

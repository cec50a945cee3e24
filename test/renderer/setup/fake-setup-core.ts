/**
 * A fake core for the setup screen: keeps a `setup.state`, changes it the way the real core would after each
 * command, and pushes it through bind-client so the screen reads the store exactly as in the app.
 */
import type { PayloadOf } from '../../../src/contract/index.js';
import { bindClient } from '../../../renderer/src/store/bind-client.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { fakeCore, type FakeCore, type Handlers } from '../maintenance/harness.js';

export type SetupState = PayloadOf<'setup.state'>;

export function initialSetup(): SetupState {
  return {
    needed: true,
    step: 'credentials',
    credentials: { present: false, serialNumber: null, serverUrl: null },
    connection: { result: 'untested', at: null },
    serial: { path: null, ping: 'untested' },
    installerPin: false,
  };
}

export interface FakeSetupCore extends FakeCore {
  state: SetupState;
}

export function fakeSetupCore(overrides: Handlers = {}, start: SetupState = initialSetup()): FakeSetupCore {
  let core: FakeCore | null = null;
  const fake = { state: start } as FakeSetupCore;
  const update = (change: Partial<SetupState>) => {
    fake.state = { ...fake.state, ...change };
    core?.emit('setup.state', fake.state);
  };
  core = fakeCore({
    'setup.usbCredentials': () => ({ drives: [{ dir: '/media/kiosk/USB1', label: 'USB1', writable: true, files: ['/media/kiosk/USB1/rvm-credentials.json'] }] }),
    'setup.importCredentials': (request) => {
      const serialNumber = 'serialNumber' in request ? request.serialNumber : 'RVM-0001';
      const serverUrl = 'serverUrl' in request ? request.serverUrl : 'https://myrvm.example.id';
      update({ credentials: { present: true, serialNumber, serverUrl } });
      return { ok: true, serialNumber, error: null };
    },
    'setup.testConnection': () => {
      update({ connection: { result: 'ok', at: 1 } });
      return { result: 'ok' };
    },
    'setup.serialPorts': () => ({ ports: [{ path: '/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00', byId: true }, { path: '/dev/ttyUSB0', byId: false }] }),
    'setup.pingSerial': ({ path }) => {
      update({ serial: { path, ping: 'ok' } });
      return { ping: 'ok' };
    },
    'setup.cameraPreview': () => ({ jpegBase64: '/9j/AAAA', error: null }),
    'setup.setInstallerPin': () => {
      update({ installerPin: true });
      return { ok: true };
    },
    'setup.finish': () => {
      update({ needed: false, step: 'done' });
      return { ok: true };
    },
    ...overrides,
  });
  Object.assign(fake, core);
  // Each test makes a new fake core, so the old one's subscriptions go with it.
  bindClient(core.client, kioskStore);
  core.emit('setup.state', fake.state);
  return fake;
}

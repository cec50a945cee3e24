/**
 * A stand-in for the `electron` module. Electron's binary cannot run here, so the shell's tests swap the module:
 *
 *   const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
 *   vi.mock('electron', () => fake.module);
 *
 * Each piece records what the shell did to it (vi.fn) and lets a test play Electron's part: emit app and
 * webContents events, invoke IPC handlers as a given frame, ask the stored permission/open handlers.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

let nextContentsId = 1;

export class FakeFrame {
  constructor(
    public processId: number,
    public routingId: number,
    public url: string,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  mainFrame = new FakeFrame(100 + this.id, 1, 'app://kiosk/index.html');
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  send = vi.fn();
  reload = vi.fn();
  forcefullyCrashRenderer = vi.fn();
  isDestroyed = vi.fn(() => false);
  setVisualZoomLevelLimits = vi.fn(async () => undefined);
  setZoomFactor = vi.fn();
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
  /** Build the `event` Electron would pass to an IPC handler for a message from `frame` of these contents. */
  ipcEvent(frame: FakeFrame = this.mainFrame): { sender: FakeWebContents; senderFrame: FakeFrame } {
    return { sender: this, senderFrame: frame };
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  /** When set, loadURL rejects with it (a missing renderer build, say). */
  static loadFailure: Error | null = null;
  webContents = new FakeWebContents();
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = vi.fn(() => false);
  isDestroyed = vi.fn(() => false);
  destroy = vi.fn(() => this.isDestroyed.mockReturnValue(true));
  loadURL = vi.fn(async (_url: string) => {
    if (FakeBrowserWindow.loadFailure) throw FakeBrowserWindow.loadFailure;
  });
  constructor(public options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances;
  }
}

type Handler = (...args: any[]) => any;

export function createFakeSession() {
  const stored: { permissionRequest?: Handler; permissionCheck?: Handler; headers?: Handler } = {};
  const session = Object.assign(new EventEmitter(), {
    stored,
    setPermissionRequestHandler: vi.fn((h: Handler) => void (stored.permissionRequest = h)),
    setPermissionCheckHandler: vi.fn((h: Handler) => void (stored.permissionCheck = h)),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn((h: Handler) => void (stored.headers = h)) },
  });
  return session;
}

function createFakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return Object.assign(new EventEmitter(), {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
    /** Play the renderer's `ipcRenderer.invoke(channel, ...args)` arriving with `event`. */
    async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler(event, ...args);
    },
  });
}

/**
 * safeStorage with a reversible stand-in for Chromium's sealing (a prefix and the bytes reversed), so a test can
 * tell sealed from plain and open what was sealed. `available` and `backend` play the machine's key store.
 */
export function createFakeSafeStorage() {
  const PREFIX = Buffer.from('v10');
  const fake = {
    available: true,
    backend: 'basic_text' as string,
    isEncryptionAvailable: vi.fn(() => fake.available),
    getSelectedStorageBackend: vi.fn(() => fake.backend),
    encryptString: vi.fn((plain: string) => Buffer.concat([PREFIX, Buffer.from(plain, 'utf8').reverse()])),
    decryptString: vi.fn((sealed: Buffer) => {
      if (!sealed.subarray(0, PREFIX.length).equals(PREFIX)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(sealed.subarray(PREFIX.length)).reverse().toString('utf8');
    }),
  };
  return fake;
}

function createFakeApp(userData: () => string) {
  return Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    relaunch: vi.fn(),
    whenReady: vi.fn(async () => undefined),
    disableHardwareAcceleration: vi.fn(),
    commandLine: { appendSwitch: vi.fn(), hasSwitch: vi.fn(() => false) },
    getAppPath: vi.fn(() => '/opt/rvm/app'),
    getPath: vi.fn((_name: string) => userData()),
    getVersion: vi.fn(() => '0.1.0'),
    isPackaged: false,
  });
}

export function createElectronFake() {
  // Created on first use only, so tests that never touch userData leave nothing behind.
  let userDataDir: string | null = null;
  const userData = () => (userDataDir ??= mkdtempSync(path.join(tmpdir(), 'rvm-electron-userdata-')));
  const app = createFakeApp(userData);
  const ipcMain = createFakeIpcMain();
  const defaultSession = createFakeSession();
  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(), send: vi.fn() });
  const parts = {
    app,
    ipcMain,
    ipcRenderer,
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    net: { fetch: vi.fn() },
    powerSaveBlocker: { start: vi.fn(() => 7), stop: vi.fn(), isStarted: vi.fn(() => true) },
    Menu: { setApplicationMenu: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
    shell: { openPath: vi.fn() },
    safeStorage: createFakeSafeStorage(),
  };
  /** Forget what earlier tests did: listeners, handlers, windows and recorded calls (implementations stay). */
  function reset(): void {
    vi.clearAllMocks();
    for (const emitter of [app, ipcMain, ipcRenderer, defaultSession]) emitter.removeAllListeners();
    ipcMain.handlers.clear();
    FakeBrowserWindow.instances = [];
    FakeBrowserWindow.loadFailure = null;
    Object.assign(parts.safeStorage, { available: true, backend: 'basic_text' });
  }
  /** Remove the temporary userData directory, if one was made (call in afterAll). */
  function cleanup(): void {
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    userDataDir = null;
  }
  // `default` serves `import electron from 'electron'` (electron-store does that).
  return { ...parts, userData, reset, cleanup, module: { ...parts, default: parts } };
}

export type ElectronFake = ReturnType<typeof createElectronFake>;

/**
 * The one IPC bridge between the kiosk page and the core: `rvm:command` (invoke) carries a contract command to
 * core.dispatch and its reply back, `rvm:event` carries core events out, `rvm:ready` tells main the page is
 * listening. Messages from anyone but the kiosk window's main frame are dropped with a log line.
 *
 * One window is one connection for the core (`connectionId`): technician rights entered on it stay with it,
 * through a renderer reload, until the window goes (teardown), when the core is told the connection closed.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import type { KioskCore } from '../../src/core/kiosk-core.js';
import type { EventMessage, ReplyMessage } from '../../src/contract/wire.js';
import { createLogger } from '../../src/log/logger.js';
import { IPC_COMMAND, IPC_EVENT, IPC_READY } from '../preload/channels.js';
import { EventRelay } from './event-relay.js';
import { describeSender, isKioskFrame } from './trusted-sender.js';

const log = createLogger('electron.ipc');

const FORBIDDEN: ReplyMessage = {
  type: 'reply',
  id: null,
  ok: false,
  error: { code: 'bad_message', reason: 'bad_message', message: 'this frame may not talk to the kiosk core' },
};

export type IpcCore = Pick<KioskCore, 'dispatch' | 'subscribe' | 'snapshot' | 'connectionClosed'>;

/** Wires the bridge for `win`; returns the teardown. */
export function setupIpc(win: BrowserWindow, core: IpcCore): () => void {
  const contents = win.webContents;
  const connectionId = `electron-window:${contents.id}`;
  const relay = new EventRelay(
    ({ name, payload }) => {
      if (contents.isDestroyed()) return;
      const message: EventMessage = { type: 'event', name, payload };
      contents.send(IPC_EVENT, message);
    },
    () => core.snapshot(),
  );
  const unsubscribe = core.subscribe((name, payload) => relay.push(name, payload));

  ipcMain.handle(IPC_COMMAND, async (event, message: unknown) => {
    if (!isKioskFrame(event, contents)) {
      log.warn('dropped a command from a foreign frame', describeSender(event));
      return FORBIDDEN;
    }
    return core.dispatch(message, { connectionId }); // validates the envelope and payload; never throws
  });

  const onReady = (event: IpcMainEvent): void => {
    if (!isKioskFrame(event, contents)) {
      log.warn('dropped a ready signal from a foreign frame', describeSender(event));
      return;
    }
    relay.markReady();
  };
  ipcMain.on(IPC_READY, onReady);
  contents.on('did-start-loading', () => relay.reset());
  contents.on('render-process-gone', () => relay.reset());

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    ipcMain.removeHandler(IPC_COMMAND);
    ipcMain.removeListener(IPC_READY, onReady);
    core.connectionClosed(connectionId);
  };
  win.once('closed', close);
  return close;
}

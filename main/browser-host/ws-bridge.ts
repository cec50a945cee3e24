/**
 * The contract over a WebSocket: each text frame from the browser is a command (or the one-off `ready`),
 * answered by the core's reply; core events are pushed once the page said it is ready. Anything malformed
 * gets an error reply and a log line — the connection and the core keep going. Every socket is one
 * connection for the core (`connectionId`), told to the core again when it closes, so technician rights
 * stay with the socket that entered the PIN and end with it.
 */
import type { WebSocket } from 'ws';
import type { KioskCore } from '../../src/core/kiosk-core.js';
import type { EventMessage, ReplyMessage } from '../../src/contract/wire.js';
import { createLogger } from '../../src/log/logger.js';

const log = createLogger('browser-host');
const MAX_MESSAGE_BYTES = 64 * 1024;
/**
 * Replies and events queued for a socket that does not read them. Past this the socket is closed (the UI
 * reconnects and says `ready` again) instead of queueing without bound: a client flooding commands without
 * reading used to grow the kiosk's memory by about 18 MB per 100,000 frames (test/fuzz/contract-messages.test.ts).
 */
const MAX_QUEUED_BYTES = 1024 * 1024;

export function bridgeSocket(core: KioskCore, socket: WebSocket, connectionId: string): void {
  let unsubscribe: (() => void) | null = null;
  const send = (message: ReplyMessage | EventMessage) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_QUEUED_BYTES) {
      log.warn('closed a browser socket that does not read what it is sent', { queuedBytes: socket.bufferedAmount });
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  };

  socket.on('message', (data, isBinary) => {
    void (async () => {
      const text = isBinary ? null : data.toString();
      if (text === null || text.length > MAX_MESSAGE_BYTES) {
        log.warn('rejected a frame from the browser', { reason: isBinary ? 'binary frame' : 'too large' });
        send({ type: 'reply', id: null, ok: false, error: { code: 'bad_message', reason: 'bad_message', message: 'expected a JSON text frame under 64 KiB' } });
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        log.warn('rejected a frame from the browser', { reason: 'not JSON' });
        send({ type: 'reply', id: null, ok: false, error: { code: 'bad_message', reason: 'bad_message', message: 'frame is not valid JSON' } });
        return;
      }
      if (isReady(message)) {
        if (unsubscribe) return;
        for (const { name, payload } of core.snapshot()) send({ type: 'event', name, payload });
        unsubscribe = core.subscribe((name, payload) => send({ type: 'event', name, payload }));
        return;
      }
      send(await core.dispatch(message, { connectionId }));
    })();
  });
  socket.on('close', () => {
    unsubscribe?.();
    core.connectionClosed(connectionId);
  });
  socket.on('error', (err) => log.warn('browser socket error', { error: err.message }));
}

function isReady(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}

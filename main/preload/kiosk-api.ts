/**
 * The object the preload publishes as `window.rvmKiosk`: the contract's KioskClient over Electron IPC. It is
 * built from an injected IPC object so it can be tested without Electron, and it never hands that object out —
 * the page only gets call/on/ready, and only for names the contract declares.
 */
import type { KioskClient } from '../../src/contract/client.js';
import type { CommandMessage, EventMessage, ReplyMessage } from '../../src/contract/wire.js';
import { refusalMessage } from '../../src/contract/errors.js';
import { IPC_COMMAND, IPC_EVENT, IPC_READY } from './channels.js';

/** The slice of `ipcRenderer` the API needs. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  send(channel: string, ...args: unknown[]): void;
}

/** The contract's command and event names, generated at bundle time (scripts/build-preload.ts). */
export interface ContractNames {
  commands: readonly string[];
  events: readonly string[];
}

type Listener = (payload: unknown) => void;

export function createKioskApi(ipc: RendererIpc, names: ContractNames): KioskClient {
  const commandNames = new Set(names.commands);
  const eventNames = new Set(names.events);
  const listeners = new Map<string, Set<Listener>>();
  let nextId = 1;

  ipc.on(IPC_EVENT, (_event, message) => {
    if (!isEventMessage(message)) return;
    for (const listener of [...(listeners.get(message.name) ?? [])]) {
      // One faulty screen handler must not keep the other listeners from hearing the event.
      try {
        listener(message.payload);
      } catch (err) {
        console.error(`rvmKiosk: listener for ${message.name} failed`, err);
      }
    }
  });

  async function call(name: string, request: unknown): Promise<unknown> {
    // Rejections carry the core's message only, exactly like the WebSocket client's: errors cross the context
    // bridge as message-only copies anyway, so the refusal's code travels inside the message (src/contract/errors.ts) for the screens to translate.
    if (!commandNames.has(name)) throw new Error(`"${name}" is not a kiosk command`);
    const message: CommandMessage = { type: 'command', id: nextId++, name, payload: request };
    const reply = (await ipc.invoke(IPC_COMMAND, message)) as ReplyMessage | undefined;
    if (!reply || reply.type !== 'reply') throw new Error(`${name}: no reply from the kiosk core`);
    if (!reply.ok) throw new Error(refusalMessage(reply.error));
    return reply.result;
  }

  function on(name: string, listener: Listener): () => void {
    if (!eventNames.has(name)) throw new Error(`unknown event "${name}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const set = listeners.get(name) ?? new Set<Listener>();
    listeners.set(name, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  return {
    call: call as KioskClient['call'],
    on: on as KioskClient['on'],
    ready: () => ipc.send(IPC_READY),
  };
}

function isEventMessage(value: unknown): value is EventMessage {
  const m = value as Partial<EventMessage> | null;
  return typeof m === 'object' && m !== null && m.type === 'event' && typeof m.name === 'string';
}

/**
 * Renders maintenance screens into happy-dom with React's act(), a fake core (records every command and
 * answers from per-command handlers) and the app's one store reset to its initial state.
 */
import { act, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { CommandName, EventName, KioskClient, PayloadOf, ReplyOf, RequestOf } from '../../../src/contract/index.js';
import { setClient } from '../../../renderer/src/client/client-ref.js';
import { createKioskStore, kioskStore } from '../../../renderer/src/store/store.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export type Handlers = { [N in CommandName]?: (request: RequestOf<N>) => ReplyOf<N> | Promise<ReplyOf<N>> };

export interface FakeCore {
  calls: Array<{ name: CommandName; request: unknown }>;
  callsOf(name: CommandName): unknown[];
  /** Push an event to the components that subscribed through onCoreEvent. */
  emit<N extends EventName>(name: N, payload: PayloadOf<N>): void;
  /** The client itself, for code that subscribes on its own (bind-client). */
  client: KioskClient;
}

/** Install a fake core as the UI's client. A command without a handler rejects, as an unknown command would. */
export function fakeCore(handlers: Handlers = {}): FakeCore {
  const calls: FakeCore['calls'] = [];
  const listeners = new Set<{ name: EventName; listener: (payload: never) => void }>();
  const client: KioskClient = {
    call: async (name, request) => {
      calls.push({ name, request });
      const handler = handlers[name] as ((r: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`${name}: not handled by the fake core`);
      return (await handler(request)) as never;
    },
    on: (name, listener) => {
      const entry = { name, listener: listener as (payload: never) => void };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    ready: () => undefined,
  };
  setClient(client);
  return {
    client,
    calls,
    callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.request),
    emit: (name, payload) => {
      for (const l of listeners) if (l.name === name) act(() => l.listener(payload as never));
    },
  };
}

/** Back to the initial data; the app store's own actions stay (a fresh store's actions would write to that store). */
export function resetStore(): void {
  const initial = Object.entries(createKioskStore().getState()).filter(([, value]) => typeof value !== 'function');
  kioskStore.setState(Object.fromEntries(initial));
}

export interface Mounted {
  container: HTMLElement;
  byTestId(id: string): HTMLElement | null;
  text(id: string): string;
  unmount(): void;
}

export async function mount(node: ReactNode): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(node));
  const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return {
    container,
    byTestId,
    text: (id) => byTestId(id)?.textContent ?? '',
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** A tap: pointerdown then click, both bubbling, with React's updates and pending replies flushed. */
export async function tap(el: HTMLElement | null): Promise<void> {
  if (!el) throw new Error('nothing to tap');
  await act(async () => {
    el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
}

/** Let replies and effects settle (fake core replies resolve in microtasks). */
export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

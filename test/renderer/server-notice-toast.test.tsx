import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClient } from '../../renderer/src/client/client-ref.js';
import { ServerNoticeToast } from '../../renderer/src/components/ServerNoticeToast.js';
import { kioskStore } from '../../renderer/src/store/store.js';
import type { KioskClient, PayloadOf } from '../../src/contract/index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A client whose `server.notice` listeners the test calls, as the core's event would. */
function noticeClient() {
  const listeners = new Set<(p: PayloadOf<'server.notice'>) => void>();
  const client = {
    call: async () => undefined,
    ready: () => undefined,
    on: (name: string, listener: (p: PayloadOf<'server.notice'>) => void) => {
      if (name === 'server.notice') listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as KioskClient;
  return { client, emit: (p: PayloadOf<'server.notice'>) => listeners.forEach((l) => l(p)) };
}

describe('ServerNoticeToast', () => {
  afterEach(() => {
    vi.useRealTimers();
    kioskStore.getState().setLanguage('id');
  });

  it("words the server's notice in the recycler's language, and clears itself", async () => {
    vi.useFakeTimers();
    const { client, emit } = noticeClient();
    setClient(client);
    const host = document.createElement('div');
    const root = createRoot(host);
    await act(async () => root.render(<ServerNoticeToast />));
    expect(host.textContent).toBe('');
    await act(async () => emit({ code: 'item_accepted', points: 12, material: 'pet', at: Date.now() }));
    expect(host.querySelector('[data-testid="server-notice-toast"]')?.textContent).toBe('Botol plastik · Server mencatat barang Anda: +12 poin');
    await act(async () => kioskStore.getState().setLanguage('en'));
    expect(host.textContent).toMatch(/The server recorded your item: \+12 points/);
    await act(async () => vi.advanceTimersByTime(5_001));
    expect(host.textContent).toBe('');
    // A notice replayed to a screen that connects late (older than its show time) is not shown.
    await act(async () => emit({ code: 'session_ended', points: null, material: null, at: Date.now() - 60_000 }));
    expect(host.textContent).toBe('');
    root.unmount();
  });
});

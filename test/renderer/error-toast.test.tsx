import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorToast } from '../../renderer/src/components/ErrorToast.js';
import { kioskStore } from '../../renderer/src/store/store.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('ErrorToast', () => {
  afterEach(() => {
    vi.useRealTimers();
    kioskStore.getState().setError(null);
  });

  it('shows a refused command in the recycler\'s language and clears itself after a few seconds', async () => {
    vi.useFakeTimers();
    const host = document.createElement('div');
    const root = createRoot(host);
    await act(async () => root.render(<ErrorToast />));
    expect(host.textContent).toBe('');
    await act(async () => kioskStore.getState().setError('intake_busy'));
    // The code's translation in the UI's language (Bahasa Indonesia by default), never the core's English.
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('Tunggu, barang sebelumnya masih diproses');
    await act(async () => vi.advanceTimersByTime(6_001));
    expect(host.textContent).toBe('');
    root.unmount();
  });
});

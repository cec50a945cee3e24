import { describe, expect, it } from 'vitest';
import type { KioskClient } from '../../src/contract/index.js';
import { bindClient } from '../../renderer/src/store/bind-client.js';
import { createKioskStore } from '../../renderer/src/store/store.js';

/** A client whose events the test fires by hand. */
function fakeClient() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let readyCalls = 0;
  const client: KioskClient = {
    call: async () => {
      throw new Error('not used');
    },
    on: (name, listener) => {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    ready: () => {
      readyCalls++;
    },
  };
  const fire = (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload));
  return { client, fire, readyCalls: () => readyCalls };
}

describe('renderer store bound to core events', () => {
  it('updates slices from events through actions outside React, and says ready once', () => {
    const store = createKioskStore();
    const { client, fire, readyCalls } = fakeClient();
    bindClient(client, store);
    expect(readyCalls()).toBe(1);
    fire('system.language', { language: 'en' });
    fire('system.status', { state: 'out_of_service', reasons: [{ code: 'bin_full', detail: 'plastic' }], notices: [], demoMode: true, machineName: 'X' });
    fire('clock.state', { offsetMs: 1500, timezone: 'Asia/Jayapura', abbreviation: 'WIT', synced: true, source: 'server', driftAlarm: false });
    expect(store.getState().language).toBe('en');
    expect(store.getState().status?.reasons[0]?.code).toBe('bin_full');
    expect(store.getState().clock.abbreviation).toBe('WIT');
  });

  it('stops updating after unbinding', () => {
    const store = createKioskStore();
    const { client, fire } = fakeClient();
    const unbind = bindClient(client, store);
    unbind();
    fire('system.language', { language: 'en' });
    expect(store.getState().language).toBe('id');
  });
});

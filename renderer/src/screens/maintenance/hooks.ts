/** Small hooks shared by the maintenance panels and the PIN pad. */
import { useEffect, useState } from 'react';
import type { useT } from '../../i18n/strings.js';
import { kioskStore, useKiosk } from '../../store/store.js';

/**
 * Server-synced "now" (device time + clock offset), re-rendering every `intervalMs`. Deadlines the core
 * sends (autoExitAt, lockedUntil, nextAttemptAt) are on the synced clock, so countdowns must be too.
 */
export function useMachineNow(intervalMs = 1000): number {
  const offsetMs = useKiosk((s) => s.clock.offsetMs);
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  // Read at render, not from the last tick: a deadline that just arrived must not look up to a tick longer.
  return Date.now() + offsetMs;
}

/** Runs a core call, remembering that it is in flight so its button can be disabled meanwhile. */
export function useBusy(): [boolean, <T>(work: () => Promise<T>) => Promise<T | undefined>] {
  const [busy, setBusy] = useState(false);
  const run = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    if (busy) return undefined;
    setBusy(true);
    try {
      return await work();
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}

/** Text for a command that got no reply: callCore has just put the reason in the store's lastError. */
export function noReplyText(t: ReturnType<typeof useT>): string {
  const reason = kioskStore.getState().lastError;
  return reason ? `${t('maintenance.noReply')} (${reason})` : t('maintenance.noReply');
}

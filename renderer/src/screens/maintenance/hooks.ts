/** Small hooks shared by the maintenance panels and the PIN pad. */
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/strings.js';
import { formatAt, formatDuration } from './zone-time.js';
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
  return reason ? `${t('maintenance.noReply')} (${t(`error.${reason}`)})` : t('maintenance.noReply');
}

/**
 * "14:05 (3 min ago)" and "14:07 (in 2 min)" for epoch-ms moments, in the machine's zone on the synced clock;
 * null for a moment that never happened, so the panel shows its dash.
 */
export function useRelativeTime(): { ago: (epochMs: number | null) => string | null; inTime: (epochMs: number | null) => string | null } {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  return {
    ago: (epochMs) => (epochMs ? t('maintenance.ago', { time: formatAt(epochMs, now, timeZone), duration: formatDuration(now - epochMs) }) : null),
    inTime: (epochMs) => (epochMs ? t('maintenance.inTime', { time: formatAt(epochMs, now, timeZone), duration: formatDuration(epochMs - now) }) : null),
  };
}

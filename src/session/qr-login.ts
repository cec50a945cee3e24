/**
 * QR login while the session waits for a phone: fetch a token from the server, refresh it 30 s before it
 * expires, and move the session on when the server says a user redeemed it. With the server unreachable the
 * screen shows no code and the recycler can still go on as a guest.
 */
import { createLogger } from '../log/logger.js';
import type { SessionServer } from '../domain/ports.js';
import type { SessionFlow } from './session-flow.js';
import { clampTimerMs } from '../core/backoff.js';

const log = createLogger('qr-login');
const REFRESH_MARGIN_MS = 30_000;

export function wireQrLogin(flow: SessionFlow, server: SessionServer, onPhaseChange: (listener: () => void) => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  let generation = 0;
  let running = false;

  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    running = false;
    generation++;
  };

  const refresh = async (gen: number) => {
    try {
      const qr = await server.qrToken();
      if (gen !== generation || flow.current.phase !== 'waiting_login') return;
      flow.update({ qr });
      // A server's expiry is untrusted: clamped so a huge one cannot overflow the timer into a 1 ms refresh loop.
      timer = setTimeout(() => void refresh(gen), clampTimerMs(Math.max(5_000, qr.expiresAt - Date.now() - REFRESH_MARGIN_MS)));
    } catch (err) {
      log.warn('could not get a QR login token', { error: (err as Error).message });
      if (gen === generation) timer = setTimeout(() => void refresh(gen), 10_000);
    }
    timer?.unref();
  };

  onPhaseChange(() => {
    if (flow.current.phase === 'waiting_login') {
      if (!running) {
        running = true;
        void refresh(generation);
      }
    } else stop();
  });

  const offAuthorized = server.onAuthorized((user) => {
    if (flow.current.phase !== 'waiting_login') return;
    flow.send('authorized', { userName: user.userName, qr: null, balance: user.balance ?? null });
  });

  return () => {
    stop();
    offAuthorized();
  };
}

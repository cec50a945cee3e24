/**
 * The recycler's session commands: start (as guest or by QR), finish, cancel, continue (the "are you still
 * there?" prompt's answer) and donate (a guest gives the points away on the end screen). A guest session
 * gets a claim code at start (src/session/claim-code.ts); a donation is recorded durably under
 * <dataDir>/claims before the screen says so. When a session is over (back to idle) the language returns to
 * the configured default, so the next person does not inherit the last one's choice.
 */
import path from 'node:path';
import { CommandError } from '../core/kiosk-core.js';
import type { SessionServer } from '../domain/ports.js';
import { createLogger } from '../log/logger.js';
import { newClaim } from '../session/claim-code.js';
import { ClaimStore } from '../session/claim-store.js';
import type { SessionFlow } from '../session/session-flow.js';
import type { KioskContext } from './context.js';

const log = createLogger('session');

export async function registerSessionCommands(ctx: KioskContext, flow: SessionFlow, server: SessionServer): Promise<ClaimStore | null> {
  const { core, status, config } = ctx;
  // Without its folder the kiosk still runs sessions; only a donation is refused (and said so).
  const claims = await ClaimStore.open(path.join(config.dataDir, 'claims')).catch((err: unknown) => {
    log.error('the donation log is unavailable; donations will be refused', { error: String(err) });
    return null;
  });

  core.handle('session.start', (request) => {
    if (status.state === 'out_of_service' || status.state === 'maintenance') {
      throw new CommandError('not_accepting', 'machine is not taking items right now');
    }
    const guest = request.mode === 'guest';
    if (!flow.send(guest ? 'start_guest' : 'start_qr', guest ? newClaim(config.machineName) : {})) {
      throw new CommandError('session_busy', `cannot start a session while ${flow.current.phase}`);
    }
    if (guest) {
      // The session works offline with its local id; where the server gives its own (`guest_…`), the
      // deposits carry that one (serverSessionId), so the server can tie them to the guest session it opened.
      const localId = flow.current.sessionId;
      server
        .startGuest()
        .then(({ sessionId, fromServer }) => {
          if (!fromServer || flow.current.sessionId !== localId) return;
          flow.update({ serverSessionId: sessionId });
          log.info('guest session registered with the server', { sessionId: localId, serverSessionId: sessionId });
        })
        .catch((err: Error) => log.info('guest session not registered with the server', { error: err.message }));
    }
    return flow.current;
  });
  core.handle('session.finish', () => {
    flow.send('finish');
    return flow.current;
  });
  core.handle('session.cancel', () => {
    flow.send('cancel');
    return flow.current;
  });
  // A Continue that crosses the timeout (the session just ended) is not an error: the reply shows where it is.
  core.handle('session.continue', () => {
    flow.extend();
    return flow.current;
  });
  core.handle('session.donate', async () => {
    const { phase, claimCode, sessionId, totalPoints, donated } = flow.current;
    if (phase !== 'finished' || claimCode === null || sessionId === null) {
      throw new CommandError('no_claim_code', `nothing to donate: the session is ${phase}${claimCode === null ? ' without a claim code' : ''}`);
    }
    if (donated) return flow.current;
    try {
      if (!claims) throw new Error('the donation log is unavailable');
      await claims.donate({ claimCode, sessionId, points: totalPoints, at: new Date().toISOString() });
    } catch (err) {
      log.error('the donation could not be recorded; the claim code stays claimable', { sessionId, error: String(err) });
      throw new CommandError('donation_failed', `the donation could not be recorded: ${String(err)}`);
    }
    log.info('guest donated the session points', { sessionId, points: totalPoints });
    // The end screen may have timed out while the line was written: only the same session is marked.
    if (flow.current.sessionId === sessionId && flow.current.phase === 'finished') flow.update({ donated: true });
    return flow.current;
  });

  resetLanguageAfterSessions(ctx);
  return claims;
}

/**
 * Back to the configured language whenever a session is over (the phase returns to idle), through the
 * system command so its own state and the `system.language` event stay one.
 */
function resetLanguageAfterSessions({ core, bus, config }: KioskContext): void {
  let inSession = false;
  const off = bus.on('session.phase', ({ phase }) => {
    if (phase !== 'idle') {
      inSession = true;
      return;
    }
    if (!inSession) return;
    inSession = false;
    core.call('system.setLanguage', { language: config.language }).catch((err: unknown) => log.warn('could not reset the language after the session', { error: String(err) }));
  });
  core.onDispose(off);
}

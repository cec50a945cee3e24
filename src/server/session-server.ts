/**
 * The session flow's view of the server (SessionServer port): guest ids, QR login tokens and word that a
 * phone logged in. Guest sessions work offline (a local id; the credits still go through the outbox). A QR
 * login needs the server. "Logged in" arrives as realtime `session.authorized`, or — with no realtime —
 * by polling the designed QR status endpoint while a code is on screen. Today's MyRVM-Server offers
 * neither, so there a QR login can never complete (contract §2.3); the session flow's timeout handles it.
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../log/logger.js';
import type { SessionServer } from '../domain/ports.js';
import type { ApiClient } from './api-client.js';
import type { DesignedEndpoints } from './endpoints/designed.js';
import { guestSession, sessionToken } from './endpoints/kiosk.js';
import { Listeners } from './listeners.js';
import { OnceFilter } from './command-filter.js';

const log = createLogger('server.session');

export interface AuthorizedUser {
  sessionId: string;
  userName: string;
  /** The user's points balance when the server sent one (realtime `session.authorized`); shown in the session header. */
  balance?: number | null;
}

export class LinkSessionServer implements SessionServer {
  private readonly authorized = new Listeners<AuthorizedUser>();
  private readonly once = new OnceFilter();
  private qr: { token: string; expiresAt: number } | null = null;
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly designed: DesignedEndpoints,
    private readonly isRealtime: () => boolean,
    private readonly qrPollMs: number,
  ) {}

  async startGuest(): Promise<{ sessionId: string; displayName: string; fromServer: boolean }> {
    const result = await guestSession(this.client);
    if (result.ok) return { sessionId: result.data.data.session_id, displayName: result.data.data.display_name, fromServer: true };
    log.info('guest session started locally: server not available', { reason: result.message });
    return { sessionId: `guest_local_${randomBytes(8).toString('hex')}`, displayName: 'Tamu', fromServer: false };
  }

  async qrToken(): Promise<{ content: string; expiresAt: number }> {
    const result = await sessionToken(this.client);
    if (!result.ok) throw new Error(`QR login unavailable: ${result.message}`);
    const { token, expires_in, qr_content } = result.data.data;
    // Our own clock for the expiry: the server's expires_at is in its time, which may be skewed.
    const expiresAt = Date.now() + expires_in * 1_000;
    this.qr = { token, expiresAt };
    this.startPolling();
    return { content: qr_content, expiresAt };
  }

  onAuthorized(listener: (user: AuthorizedUser) => void): () => void {
    return this.authorized.add(listener);
  }

  /** The token on screen now, if any (the demo "phone" redeems it). */
  currentToken(): string | null {
    return this.qr && this.qr.expiresAt > Date.now() ? this.qr.token : null;
  }

  /** From realtime `session.authorized` or from polling; each session is announced once. */
  authorize(user: AuthorizedUser): void {
    if (!this.once.accept(user.sessionId)) return;
    if (!this.qr) log.warn('session.authorized with no QR code on screen', { sessionId: user.sessionId });
    this.qr = null;
    this.stopPolling();
    log.info('user logged in by QR', { sessionId: user.sessionId });
    this.authorized.emit(user, (err) => log.error('authorized listener failed', { error: String(err) }));
  }

  stop(): void {
    this.stopPolling();
  }

  private startPolling(): void {
    this.stopPolling();
    if (this.designed.isOff('sessionStatus')) return;
    this.pollTimer = setInterval(() => void this.pollOnce(), this.qrPollMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private async pollOnce(): Promise<void> {
    const qr = this.qr;
    if (!qr || qr.expiresAt <= Date.now() || this.designed.isOff('sessionStatus')) {
      this.stopPolling();
      return;
    }
    if (this.isRealtime()) return;
    const result = await this.designed.sessionStatus(qr.token);
    if (!result.ok) return;
    const { status, session_id, user } = result.data.data;
    if (status === 'authorized' && session_id && user) this.authorize({ sessionId: session_id, userName: user.name, ...balanceOf(user) });
    else if (status === 'expired') this.stopPolling();
  }
}

/** A balance only where the server sent a number (the designed status reply may carry one; today's has none). */
function balanceOf(user: { balance?: unknown }): { balance?: number } {
  return typeof user.balance === 'number' && Number.isFinite(user.balance) ? { balance: user.balance } : {};
}

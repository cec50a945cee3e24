/**
 * The server link's second job: routing what the server says to the rest of the kiosk. Commands (RESTART /
 * GIT_PULL from the heartbeat, hardware commands from realtime) go out on the bus exactly once each, however
 * often the server repeats them; realtime notices go out as they come; a phone's QR login goes to the
 * session port; time zones and the "back online" edge go out on the bus for the clock and the outbox.
 * The lifecycle (handshake, heartbeat, realtime connection) is server-link.ts.
 */
import type { BusPublisher } from '../core/event-bus.js';
import type { KioskEvents, ServerCommand, TimezoneUpdate } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { OnceFilter } from './command-filter.js';
import type { EdgeCommand } from './schemas/edge.js';
import type { LinkSnapshot } from './link-state.js';
import type { RealtimeEvent } from './realtime/realtime-events.js';
import type { LinkSessionServer } from './session-server.js';

const log = createLogger('server.link');

export class LinkRouter {
  private readonly once = new OnceFilter();
  private wasOnline = false;

  constructor(
    private readonly bus: BusPublisher<KioskEvents>,
    private readonly session: LinkSessionServer,
  ) {}

  heartbeatCommands(commands: EdgeCommand[]): void {
    for (const c of commands) {
      const at = c.timestamp ?? new Date().toISOString();
      // No timestamp means we cannot tell a replay from a new order: apply it.
      const key = c.timestamp ? `heartbeat:${c.action}@${c.timestamp}` : `heartbeat:${c.action}@${Math.random()}`;
      this.command(key, { id: key, command: c.action, params: null, source: 'heartbeat', at });
    }
  }

  realtime(event: RealtimeEvent): void {
    switch (event.name) {
      case 'hardware.command': {
        const d = event.data;
        this.command(`realtime:${d.request_id}`, { id: d.request_id, command: d.command, params: d.params ?? null, source: 'realtime', at: d.timestamp ?? new Date().toISOString() });
        return;
      }
      case 'timezone_update':
        this.bus.emit('server.timezoneRequest', { timezone: event.data.timezone ?? null });
        return;
      case 'session.authorized':
        this.session.authorize({ sessionId: event.data.session_id, userName: event.data.user.name, balance: event.data.user.balance ?? null });
        return;
      case 'config_update': {
        const value = event.data.confidence_threshold;
        this.bus.emit('server.configUpdate', typeof value === 'number' ? { confidenceThreshold: value } : {});
        return;
      }
      default:
        this.bus.emit('server.notice', { event: event.name, payload: event.data as Record<string, unknown> });
    }
  }

  timezone(update: TimezoneUpdate): void {
    this.bus.emit('server.timezone', update);
  }

  /** Each state change: the rising edge to `online` is the outbox's cue to flush now. */
  linkState(state: LinkSnapshot): void {
    const online = state.link === 'online';
    if (online && !this.wasOnline) this.bus.emit('server.online', { at: Date.now() });
    this.wasOnline = online;
  }

  private command(key: string, command: ServerCommand): void {
    if (!this.once.accept(key)) {
      log.info('duplicate server command ignored', { command: command.command, id: command.id });
      return;
    }
    log.info('server command received', { command: command.command, source: command.source });
    this.bus.emit('server.command', command);
  }
}

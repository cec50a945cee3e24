/**
 * The core's front door. Hosts hand it raw messages from a UI; it validates them against the contract, runs
 * the registered handler and answers with a reply envelope. It never throws at a host: every failure becomes
 * an error reply and a log line. Events go out through `emit`, which validates the payload too, and the core
 * remembers the latest payload of each event so a UI that connects late is brought up to date at once.
 */
import { commands, events, type CommandName, type EventName, type PayloadOf, type ReplyOf, type RequestOf } from '../contract/index.js';
import type { RefusalCode } from '../contract/errors.js';
import { CommandMessageSchema, type ContractErrorCode, type ReplyMessage } from '../contract/wire.js';
import { createLogger } from '../log/logger.js';
import { describeZodError } from './describe-error.js';

const log = createLogger('core');

/**
 * Who sent a command. Each host gives every UI connection its own id (one Electron window, one WebSocket);
 * technician rights belong to the connection that entered the PIN, not to every client.
 */
export interface CommandContext {
  /** The host's id for the sending connection; null for in-process calls and for a caller that named none. */
  connectionId: string | null;
  /** In-process code (`core.call`): technician-only commands run without maintenance mode. */
  trusted: boolean;
}

/** What a host passes to `dispatch` along with the raw message. */
export interface DispatchOptions {
  /** The sending connection (unique for the life of the process); without one a caller can never hold technician rights. */
  connectionId?: string;
  trusted?: boolean;
}

export type Handler<N extends CommandName> = (request: RequestOf<N>, context: CommandContext) => ReplyOf<N> | Promise<ReplyOf<N>>;
export type EventListener = (name: EventName, payload: unknown) => void;

/** A command whose handler ran (validated request), and how it ended: for the technician audit. */
export type CommandDone = { name: CommandName; request: unknown; context: CommandContext } & (
  | { ok: true; result: unknown }
  | { ok: false; reason: RefusalCode; message: string }
);

/**
 * Thrown by handlers for a refusal the UI should explain (for example "machine busy"): the reason is a code
 * the screens translate; the message is English detail for technicians and the log, never shown to a recycler.
 */
export class CommandError extends Error {
  constructor(
    readonly reason: RefusalCode,
    message: string = reason,
  ) {
    super(message);
  }
}

export class KioskCore {
  private readonly handlers = new Map<string, (request: unknown, context: CommandContext) => unknown>();
  private readonly closeListeners = new Set<(connectionId: string) => void>();
  private readonly doneListeners = new Set<(done: CommandDone) => void>();
  private readonly listeners = new Set<EventListener>();
  private readonly latest = new Map<EventName, unknown>();
  private readonly disposers: Array<() => void | Promise<void>> = [];
  /** Whether the sender holds technician rights; until maintenance mode installs its check, nobody does. */
  private technicianActive: (context: CommandContext) => boolean = () => false;

  /** Maintenance mode tells the core which sender may run technician-only commands (see contract `access`). */
  setTechnicianCheck(check: (context: CommandContext) => boolean): void {
    this.technicianActive = check;
  }

  /** A host says one of its connections is gone (socket closed, window closed); its id is never reused. */
  connectionClosed(connectionId: string): void {
    for (const listener of this.closeListeners) listener(connectionId);
  }

  /** Maintenance mode listens here to end a technician's rights with their connection. */
  onConnectionClosed(listener: (connectionId: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * Hear every command whose handler ran, after it ended (the audit records technician actions here instead
   * of wrapping each feature's handlers). A listener's error is logged, never turned into the reply.
   */
  onCommandDone(listener: (done: CommandDone) => void): () => void {
    this.doneListeners.add(listener);
    return () => this.doneListeners.delete(listener);
  }

  handle<N extends CommandName>(name: N, handler: Handler<N>): void {
    if (this.handlers.has(name)) throw new Error(`handler for ${name} registered twice`);
    this.handlers.set(name, handler as (request: unknown, context: CommandContext) => unknown);
  }

  emit<N extends EventName>(name: N, payload: PayloadOf<N>): void {
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      // A core bug, not a UI problem: log loudly and keep the last good state.
      log.error('event payload does not match the contract', { event: name, problem: describeZodError(parsed.error) });
      return;
    }
    this.latest.set(name, parsed.data);
    for (const listener of this.listeners) listener(name, parsed.data);
  }

  /** The latest payload of an event, if any was emitted. */
  current<N extends EventName>(name: N): PayloadOf<N> | undefined {
    return this.latest.get(name) as PayloadOf<N> | undefined;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every event's latest payload, for a UI that has just said it is ready. */
  snapshot(): Array<{ name: EventName; payload: unknown }> {
    return [...this.latest.entries()].map(([name, payload]) => ({ name, payload }));
  }

  /**
   * Call a command from inside the process (tests, headless mode) with the same validation as a UI. Trusted
   * code, so technician-only commands run without maintenance mode.
   */
  async call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    const reply = await this.dispatch({ type: 'command', id: 0, name, payload: request }, { trusted: true });
    if (!reply.ok) throw new CommandError(reply.error.reason, `${reply.error.code}: ${reply.error.message}`);
    return reply.result as ReplyOf<N>;
  }

  /**
   * Handle one raw message from a UI. Always resolves to a reply; never throws. Hosts pass the sending
   * connection's id, so technician-only commands run only for the connection that opened maintenance mode.
   */
  async dispatch(raw: unknown, { trusted = false, connectionId }: DispatchOptions = {}): Promise<ReplyMessage> {
    const context: CommandContext = { connectionId: connectionId ?? null, trusted };
    const envelope = CommandMessageSchema.safeParse(raw);
    const id = envelope.success ? envelope.data.id : idOf(raw);
    if (!envelope.success) {
      return this.fail(id, 'bad_message', `not a command message: ${describeZodError(envelope.error)}`);
    }
    const { name, payload } = envelope.data;
    const spec = (commands as Record<string, (typeof commands)[CommandName]>)[name];
    const handler = this.handlers.get(name);
    if (!spec || !handler) return this.fail(id, 'unknown_command', `unknown command "${name}"`);
    if (spec.access === 'technician' && !trusted && !this.technicianActive(context)) {
      return this.fail(id, 'forbidden', `${name} is for technicians: open maintenance mode with the PIN on this screen first`);
    }
    const request = spec.request.safeParse(payload ?? {});
    if (!request.success) {
      return this.fail(id, 'invalid_request', `${name}: ${describeZodError(request.error)}`);
    }
    let result: unknown;
    try {
      result = await handler(request.data, context);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof CommandError)) log.error('command handler failed', { command: name, error: message });
      const reason: RefusalCode = err instanceof CommandError ? err.reason : 'failed';
      this.done({ name: name as CommandName, request: request.data, context, ok: false, reason, message });
      return { type: 'reply', id, ok: false, error: { code: 'failed', reason, message } };
    }
    const reply = spec.reply.safeParse(result);
    if (!reply.success) {
      log.error('handler reply does not match the contract', { command: name, problem: describeZodError(reply.error) });
      this.done({ name: name as CommandName, request: request.data, context, ok: false, reason: 'invalid_reply', message: 'invalid reply' });
      return this.fail(id, 'invalid_reply', `${name}: the core produced an invalid reply`);
    }
    this.done({ name: name as CommandName, request: request.data, context, ok: true, result: reply.data });
    return { type: 'reply', id, ok: true, result: reply.data };
  }

  /** Register something to close on shutdown (ports, servers, timers). Closed in reverse order. */
  onDispose(dispose: () => void | Promise<void>): void {
    this.disposers.push(dispose);
  }

  async dispose(): Promise<void> {
    for (const dispose of this.disposers.splice(0).reverse()) {
      try {
        await dispose();
      } catch (err) {
        log.warn('dispose step failed', { error: String(err) });
      }
    }
    this.listeners.clear();
    this.closeListeners.clear();
    this.doneListeners.clear();
  }

  private done(done: CommandDone): void {
    for (const listener of this.doneListeners) {
      try {
        listener(done);
      } catch (err) {
        log.warn('command-done listener failed', { command: done.name, error: String(err) });
      }
    }
  }

  private fail(id: string | number | null, code: Exclude<ContractErrorCode, 'failed'>, message: string): ReplyMessage {
    log.warn('rejected a message from the UI', { code, message });
    return { type: 'reply', id, ok: false, error: { code, reason: code, message } };
  }
}

function idOf(raw: unknown): string | number | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

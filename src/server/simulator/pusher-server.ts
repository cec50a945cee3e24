/**
 * A Pusher-protocol v7 WebSocket server (the protocol Laravel Reverb speaks), built on `ws`, for the
 * designed realtime channel `rvm.<uuid>`. It does what a kiosk needs and nothing more: connection
 * handshake with a socket id, ping/pong, subscribe/unsubscribe on public channels, and server-side
 * publishing with `data` as a JSON string (clients parse it twice, as with Reverb). Private and presence
 * channels are refused, as there is no /broadcasting/auth for devices (contract §3.2).
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

interface Client {
  socket: WebSocket;
  channels: Set<string>;
}

export class PusherServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly clients = new Set<Client>();
  private refusing = false;
  /** Every event published, for tests and the admin endpoint. */
  readonly published: Array<{ channel: string; event: string; payload: unknown }> = [];

  constructor(readonly appKey: string) {}

  /** Called from the HTTP server's `upgrade` event; answers only /app/<key>. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const match = /^\/app\/([^/]+)$/.exec(url.pathname);
    if (!match || this.refusing) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, match[1]!, url.searchParams.get('protocol')));
  }

  /** Drop every connection (a Reverb restart); clients are expected to reconnect. */
  dropAll(): void {
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
  }

  /** While refusing, upgrades are reset, like a realtime server that is down. */
  setRefusing(refusing: boolean): void {
    this.refusing = refusing;
    if (refusing) this.dropAll();
  }

  subscribers(channel: string): number {
    let n = 0;
    for (const c of this.clients) if (c.channels.has(channel)) n += 1;
    return n;
  }

  get connections(): number {
    return this.clients.size;
  }

  publish(channel: string, event: string, payload: unknown): number {
    this.published.push({ channel, event, payload });
    const frame = JSON.stringify({ event, channel, data: JSON.stringify(payload) });
    let sent = 0;
    for (const c of this.clients) {
      if (!c.channels.has(channel)) continue;
      c.socket.send(frame);
      sent += 1;
    }
    return sent;
  }

  close(): void {
    this.dropAll();
    this.wss.close();
  }

  private accept(socket: WebSocket, key: string, protocol: string | null): void {
    const send = (event: string, data: unknown, channel?: string) =>
      socket.send(JSON.stringify({ event, ...(channel ? { channel } : {}), data: typeof data === 'string' ? data : JSON.stringify(data) }));
    if (key !== this.appKey) {
      send('pusher:error', { code: 4001, message: `Application does not exist` });
      socket.close(4001);
      return;
    }
    if (protocol !== null && Number(protocol) < 7) {
      send('pusher:error', { code: 4007, message: 'Unsupported protocol version' });
      socket.close(4007);
      return;
    }
    const client: Client = { socket, channels: new Set() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    send('pusher:connection_established', { socket_id: `${randomInt(1e9)}.${randomInt(1e9)}`, activity_timeout: 30 });
    socket.on('message', (raw) => this.onMessage(client, raw.toString(), send));
  }

  private onMessage(client: Client, raw: string, send: (event: string, data: unknown, channel?: string) => void): void {
    let msg: { event?: unknown; data?: unknown };
    try {
      msg = JSON.parse(raw) as { event?: unknown; data?: unknown };
    } catch {
      send('pusher:error', { code: 4200, message: 'Invalid message format' });
      return;
    }
    const data = (typeof msg.data === 'string' ? safeParse(msg.data) : msg.data) as { channel?: unknown } | undefined;
    const channel = typeof data?.channel === 'string' ? data.channel : '';
    switch (msg.event) {
      case 'pusher:ping':
        send('pusher:pong', {});
        return;
      case 'pusher:subscribe':
        if (!channel || channel.startsWith('private-') || channel.startsWith('presence-')) {
          send('pusher:error', { code: 4009, message: `Subscription to ${channel || '(none)'} refused` });
          return;
        }
        client.channels.add(channel);
        send('pusher_internal:subscription_succeeded', '{}', channel);
        return;
      case 'pusher:unsubscribe':
        client.channels.delete(channel);
        return;
      default:
        // Client events need a private channel; ignore anything else like Reverb does.
        return;
    }
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

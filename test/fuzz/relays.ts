/**
 * The two relays of the fuzz machine (fuzz-machine.ts): bytes between two ptys, with garbage injected between
 * whole frames; and HTTP between the kiosk and the server simulator, or scripted nonsense instead.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import type { Link } from '../../src/hardware/transport/link.js';

/** Relays bytes between the kiosk's pty and the simulator's, forwarding whole lines so injections land between frames. */
export class SerialRelay {
  private toHostPending: Buffer = Buffer.alloc(0);
  private toControllerPending: Buffer = Buffer.alloc(0);
  bytesInjected = 0;

  constructor(
    private readonly kioskSide: Link,
    private readonly controllerSide: Link,
  ) {
    controllerSide.onData((chunk) => (this.toHostPending = this.forwardLines(Buffer.concat([this.toHostPending, chunk]), kioskSide)));
    kioskSide.onData((chunk) => (this.toControllerPending = this.forwardLines(Buffer.concat([this.toControllerPending, chunk]), controllerSide)));
  }

  /** Garbage towards the kiosk's driver, between two whole frames of the simulator's. */
  toHost(bytes: Buffer): Promise<void> {
    this.bytesInjected += bytes.length;
    return this.kioskSide.write(bytes);
  }

  /** Garbage towards the controller simulator, between two whole frames of the kiosk's. */
  toController(bytes: Buffer): Promise<void> {
    this.bytesInjected += bytes.length;
    return this.controllerSide.write(bytes);
  }

  async close(): Promise<void> {
    await this.kioskSide.close();
    await this.controllerSide.close();
  }

  private forwardLines(buffer: Buffer, to: Link): Buffer {
    const end = buffer.lastIndexOf(0x0a);
    if (end < 0) return buffer;
    to.write(buffer.subarray(0, end + 1)).catch(() => undefined);
    return Buffer.from(buffer.subarray(end + 1));
  }
}

export type FrontHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

/** Forwards to the server simulator, or (while `script` is set) answers what the family scripts. */
export interface FrontServer {
  url: string;
  script: FrontHandler | null;
  /** Requests answered by the script. */
  scripted: number;
  /** The simulator's last 2xx reply per path, forwarded in pass mode: what structure-aware nonsense starts from. */
  replies: Map<string, { status: number; text: string }>;
  close(): Promise<void>;
}

export async function startFrontServer(target: ServerSimulator): Promise<FrontServer> {
  const front: FrontServer = { url: '', script: null, scripted: 0, replies: new Map(), close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (front.script) {
        front.scripted += 1;
        front.script(req, res, body);
        return;
      }
      const upstream = http.request(`${target.url}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers: req.headers }, (reply) => {
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        reply.on('end', () => {
          const text = Buffer.concat(parts);
          const status = reply.statusCode ?? 502;
          if (status >= 200 && status < 300 && text.length < 64 * 1024) front.replies.set(pathOf(req.url), { status, text: text.toString('utf8') });
          res.writeHead(status, reply.headers).end(text);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return front;
}

export const pathOf = (url: string | undefined) => new URL(url ?? '/', 'http://x').pathname;

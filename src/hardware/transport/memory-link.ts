/**
 * Two links joined back to back inside the process: for unit tests, and for the demo where socat is
 * missing. Delivery is asynchronous (setImmediate) and in order, like a real port, so no test can pass
 * only because a reply arrived synchronously.
 */
import { LinkBase } from './link.js';

class MemoryLink extends LinkBase {
  peer: MemoryLink | null = null;

  constructor(readonly description: string) {
    super();
  }

  async write(data: Buffer): Promise<void> {
    if (this.closed) throw Object.assign(new Error(`${this.description}: link is closed`), { disconnected: true });
    const peer = this.peer;
    const copy = Buffer.from(data);
    setImmediate(() => peer?.deliver(copy));
  }

  async close(): Promise<void> {
    this.unplug();
  }

  /** Pull the cable: both ends see the link end. */
  unplug(error?: Error): void {
    const peer = this.peer;
    this.peer = null;
    this.ended(error);
    if (peer) {
      peer.peer = null;
      peer.ended(error ?? new Error(`${peer.description}: peer closed`));
    }
  }

  receive(chunk: Buffer): void {
    this.deliver(chunk);
  }
}

export interface MemoryPair {
  host: MemoryLink;
  device: MemoryLink;
}

export function createMemoryPair(name = 'in-process'): MemoryPair {
  const host = new MemoryLink(`${name} (host end)`);
  const device = new MemoryLink(`${name} (controller end)`);
  host.peer = device;
  device.peer = host;
  return { host, device };
}

export type { MemoryLink };

/**
 * A byte link to the controller, and how to open one. The driver and the simulator only see this interface,
 * so a serial port, a pseudo-terminal and an in-memory pair are interchangeable (tests need no hardware).
 */
export interface Link {
  /** Human-readable end point for logs and the maintenance screen, e.g. `/dev/ttyUSB0 @115200`. */
  readonly description: string;
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the link ends for any reason: unplug, the peer going away, a failed write, close(). */
  onClose(listener: (error?: Error) => void): void;
}

/** Opens a fresh link; called again for every reconnect, so a by-id or USB-id lookup is redone each time. */
export type LinkOpener = () => Promise<Link>;

/** Where the kiosk's link runs over, for the status screen. */
export type TransportKind = 'serial' | 'pty' | 'in-process';

/** Base for links: guarantees onClose fires exactly once, whoever notices the end first. */
export abstract class LinkBase implements Link {
  abstract readonly description: string;
  private readonly dataListeners: Array<(chunk: Buffer) => void> = [];
  private readonly closeListeners: Array<(error?: Error) => void> = [];
  protected closed = false;

  abstract write(data: Buffer): Promise<void>;
  abstract close(): Promise<void>;

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListeners.push(listener);
  }

  protected deliver(chunk: Buffer): void {
    if (this.closed) return;
    for (const listener of this.dataListeners) listener(chunk);
  }

  protected ended(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(error);
  }
}

/** A Link over a real serial port (or one end of a pseudo-terminal) through node-serialport. */
import { SerialPort } from 'serialport';
import { LinkBase } from './link.js';

export interface SerialSettings {
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export const DEFAULT_SERIAL: SerialSettings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 };

class SerialLink extends LinkBase {
  readonly description: string;

  constructor(private readonly port: SerialPort, path: string, settings: SerialSettings) {
    super();
    this.description = `${path} @${settings.baudRate} ${settings.dataBits}${settings.parity[0]?.toUpperCase()}${settings.stopBits}`;
    port.on('data', (chunk: Buffer) => this.deliver(chunk));
    // node-serialport marks an unplug with `disconnected: true`; either way the link is over.
    port.on('close', (error?: Error) => this.ended(error ?? undefined));
    port.on('error', (error: Error) => {
      this.ended(error);
      if (port.isOpen) port.close(() => undefined);
    });
  }

  write(data: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.description}: port is closed`));
    return new Promise((resolve, reject) => {
      this.port.write(data, (error) => {
        if (!error) return resolve();
        this.ended(error);
        reject(error);
      });
    });
  }

  close(): Promise<void> {
    this.ended();
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}

export async function openSerialLink(path: string, settings: SerialSettings = DEFAULT_SERIAL): Promise<LinkBase> {
  const { baudRate, dataBits, parity, stopBits } = settings;
  const port = new SerialPort({ path, baudRate, dataBits, parity, stopBits, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return new SerialLink(port, path, settings);
}

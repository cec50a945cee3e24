/** Shared pieces for the hardware tests: fast driver options and a scripted fake controller (waiting: helpers/eventually). */
import type { DriverOptions } from '../../src/hardware/driver/machine-driver.js';
import { controllerBody, encodeFrame, rvm1Device, rvm1Host, type ControllerEvent, type DeviceIncoming, type MachineCommand, type Reply } from '../../src/hardware/protocol/index.js';
import type { Link, LinkOpener } from '../../src/hardware/transport/link.js';
import { createMemoryPair, type MemoryLink } from '../../src/hardware/transport/memory-link.js';

export const FAST_TIMEOUTS: DriverOptions['timeoutsMs'] = { ping: 1000, conveyor: 1000, gate: 1000, door: 1000, lights: 1000, buzzer: 1000, tare: 1000, status: 1000 };

export function fastDriverOptions(open: LinkOpener, overrides: Partial<DriverOptions> = {}): DriverOptions {
  return {
    dialect: rvm1Host,
    open,
    transport: 'in-process',
    heartbeatMs: 50,
    deadAfterMs: 1500,
    lostAfterMs: 5000,
    backoff: { firstMs: 10, factor: 2, maxMs: 100, jitter: false },
    retries: 2,
    queueWaitMs: 5000,
    timeoutsMs: FAST_TIMEOUTS,
    ...overrides,
  };
}

type Answer = Reply | 'silent';

/**
 * A controller scripted by the test: every command goes to `answer`, heartbeats are echoed when
 * `heartbeats` is on, and the test can push events or raw bytes. Each `opener()` call plugs in a fresh
 * in-memory cable, so the driver's reconnects can be exercised.
 */
export class FakeController {
  readonly received: DeviceIncoming[] = [];
  heartbeats = true;
  answer: (command: MachineCommand, seq: number) => Answer = () => ({ ok: true, data: {} });
  link: MemoryLink | null = null;
  opens = 0;
  refuseOpen: Error | null = null;
  private seq = 100;

  readonly opener: LinkOpener = async (): Promise<Link> => {
    if (this.refuseOpen) throw this.refuseOpen;
    this.opens++;
    const { host, device } = createMemoryPair('fake');
    this.link = device;
    const decoder = rvm1Device.createDecoder();
    device.onData((chunk) => {
      for (const item of decoder.push(chunk)) this.handle(device, item);
    });
    return host;
  };

  commands(): Array<{ seq: number | null; command: MachineCommand }> {
    return this.received.flatMap((item) => (item.kind === 'command' ? [{ seq: item.seq, command: item.command }] : []));
  }

  event(event: ControllerEvent, seq = ++this.seq): void {
    this.raw(encodeFrame(controllerBody({ seq, kind: 'event', event })));
  }

  reply(seq: number, reply: Reply): void {
    this.raw(encodeFrame(controllerBody({ seq, kind: 'reply', reply })));
  }

  raw(bytes: Buffer): void {
    void this.link?.write(bytes);
  }

  private handle(link: MemoryLink, item: DeviceIncoming): void {
    if (link !== this.link) return;
    this.received.push(item);
    if (item.kind === 'heartbeat' && this.heartbeats) this.event({ type: 'heartbeat' });
    if (item.kind === 'command' && item.seq !== null) {
      const answer = this.answer(item.command, item.seq);
      if (answer !== 'silent') this.reply(item.seq, answer);
    }
  }
}

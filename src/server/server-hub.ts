/**
 * Where other domains reach the server link, keyed by the kiosk core. They may subscribe before
 * setupServer has run (clock and outbox are set up first): the hub holds their listeners and wires them
 * to the link once it is attached. Everything here runs in the main process; nothing exposes the API key.
 *
 *   serverHub(core).onTimeSample(cb)   server-time samples for clock sync (see time-samples.ts)
 *   serverHub(core).onTimezone(cb)     the machine's IANA zone (handshake, v2 timezone sync); replays the latest
 *   serverHub(core).onCommand(cb)      RESTART / GIT_PULL / hardware commands, each delivered once
 *   serverHub(core).onOnline(cb)       the link (re)gained the server: a good moment to flush the outbox
 *   serverHub(core).onHandshake(cb)    each accepted handshake (policy, AI model target); replays the latest
 *   serverHub(core).setBinCapacity(n)  the fullest bin in percent, reported in the next heartbeat
 *   serverHub(core).link               the ServerLink, or null before setupServer / when none is configured
 */
import type { KioskCore } from '../core/kiosk-core.js';
import { createLogger } from '../log/logger.js';
import { Listeners } from './listeners.js';
import type { ServerCommand, ServerLink, TimezoneUpdate } from './server-link.js';
import type { HandshakeInfo } from './handshake-runner.js';
import type { ServerTimeSample } from './time-samples.js';

const log = createLogger('server.hub');
const report = (what: string) => (err: unknown) => log.error(`${what} listener failed`, { error: String(err) });

export class ServerHub {
  private current: ServerLink | null = null;
  private readonly samples = new Listeners<ServerTimeSample>();
  private readonly zones = new Listeners<TimezoneUpdate>();
  private readonly commands = new Listeners<ServerCommand>();
  private readonly online = new Listeners<void>();
  private readonly handshakes = new Listeners<HandshakeInfo>();
  private lastHandshake: HandshakeInfo | null = null;
  private lastZone: TimezoneUpdate | null = null;
  private bin = 0;

  get link(): ServerLink | null {
    return this.current;
  }

  attach(link: ServerLink): void {
    this.current = link;
    link.onTimeSample((s) => this.samples.emit(s, report('time-sample')));
    link.onCommand((c) => this.commands.emit(c, report('command')));
    let wasOnline = false;
    let handshakeAt: number | null = null;
    link.state.onChange((state) => {
      const info = link.handshakeInfo;
      if (state.lastHandshakeAt !== handshakeAt && info) {
        handshakeAt = state.lastHandshakeAt;
        this.lastHandshake = info;
        this.handshakes.emit(info, report('handshake'));
      }
      const isOnline = state.link === 'online';
      if (isOnline && !wasOnline) this.online.emit(undefined, report('online'));
      wasOnline = isOnline;
    });
    link.onTimezone((z) => {
      this.lastZone = z;
      this.zones.emit(z, report('timezone'));
    });
  }

  detach(link: ServerLink): void {
    if (this.current === link) this.current = null;
  }

  setBinCapacity(percent: number): void {
    if (Number.isFinite(percent)) this.bin = Math.min(100, Math.max(0, percent));
  }

  get binCapacity(): number {
    return this.bin;
  }

  onTimeSample(listener: (sample: ServerTimeSample) => void): () => void {
    return this.samples.add(listener);
  }

  onTimezone(listener: (update: TimezoneUpdate) => void): () => void {
    if (this.lastZone) listener(this.lastZone);
    return this.zones.add(listener);
  }

  onHandshake(listener: (info: HandshakeInfo) => void): () => void {
    if (this.lastHandshake) listener(this.lastHandshake);
    return this.handshakes.add(listener);
  }

  onOnline(listener: () => void): () => void {
    return this.online.add(listener);
  }

  onCommand(listener: (command: ServerCommand) => void): () => void {
    return this.commands.add(listener);
  }
}

const hubs = new WeakMap<KioskCore, ServerHub>();

export function serverHub(core: KioskCore): ServerHub {
  let hub = hubs.get(core);
  if (!hub) {
    hub = new ServerHub();
    hubs.set(core, hub);
  }
  return hub;
}

/**
 * The server link's lifecycle: handshake in the background until it succeeds, then the heartbeat loop,
 * then realtime (or polling when there is no realtime server), with the session port and the designed
 * endpoints. What the server says is routed to the rest of the kiosk by link-router.ts, onto the bus
 * (commands, notices, time zones, "back online"). Knows nothing about the kiosk core or the UI;
 * src/app/setup-server.ts turns its state into contract events.
 */
import { EventBus, type BusPublisher } from '../core/event-bus.js';
import type { Alert, KioskEvents, Reading, TimezoneUpdate } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { jitteredPeriod } from '../core/backoff.js';
import { ApiClient } from './api-client.js';
import type { ServerConfig } from './config.js';
import type { RvmCredentials } from './credentials.js';
import { DesignedEndpoints } from './endpoints/designed.js';
import { kioskConfig } from './endpoints/kiosk.js';
import { HandshakeRunner, type HandshakeInfo, type HandshakeOutcome } from './handshake-runner.js';
import { HeartbeatLoop, type HeartbeatOutcome } from './heartbeat-loop.js';
import { createHttpTransport, type HttpTransport } from './http/transport.js';
import { LinkState, type LinkStatus } from './link-state.js';
import { Listeners } from './listeners.js';
import { LinkRouter } from './link-router.js';
import { RealtimeChannel } from './realtime/pusher-channel.js';
import type { HandshakeRequest } from './schemas/edge.js';
import { DeviceReport } from './device-report.js';
import { realtimeTarget } from './realtime/realtime-target.js';
import { LinkSessionServer } from './session-server.js';
import type { ServerTimeSample } from './time-samples.js';

const log = createLogger('server.link');

export type { ServerCommand, ServerNotice, TimezoneUpdate } from '../domain/events.js';

/** What monitoring hands the link: open alerts for `diagnostics`, readings for the telemetry endpoints. */
export interface LinkMonitoring {
  openAlerts(): readonly Alert[];
  /** The readings since the previous call. */
  drainReadings(): Reading[];
  /** Items processed and rejected since the previous call (for `rvms/{id}/metrics`). */
  drainItemCounts?(): { accepted: number; rejected: number };
}

export interface ServerLinkOptions {
  mode: 'simulator' | 'remote';
  baseUrl: string;
  credentials: RvmCredentials;
  config: ServerConfig;
  timezone: string;
  version: string;
  dataDir: string;
  /** Where commands, notices, time zones and "back online" go; a private bus when not given (tests). */
  bus?: BusPublisher<KioskEvents>;
  transport?: HttpTransport;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  binCapacity?: () => number;
  machineStatus?: () => string;
  hardwareInfo?: () => HandshakeRequest['hardware_info'];
  /** pusher-js's patience before "unavailable"; shorter in tests. */
  realtimeUnavailableMs?: number;
  /** Monitoring's feed; can also be attached later with setMonitoring(). */
  monitoring?: LinkMonitoring;
  /** Overrides `config.metricsEveryMs` (tests). */
  telemetryEveryMs?: number;
}

export class ServerLink {
  readonly client: ApiClient;
  readonly designed: DesignedEndpoints;
  readonly state: LinkState;
  readonly session: LinkSessionServer;
  private readonly handshakes: HandshakeRunner;
  private readonly heartbeat: HeartbeatLoop;
  readonly bus: BusPublisher<KioskEvents>;
  private readonly router: LinkRouter;
  private readonly handshakeListeners = new Listeners<HandshakeInfo>();
  private readonly report: DeviceReport;
  private realtime: RealtimeChannel | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private telemetryTimer: NodeJS.Timeout | null = null;
  private monitoring: LinkMonitoring | null;
  private lastTelemetryAt = Date.now();
  private info: HandshakeInfo | null = null;
  private stopped = false;

  constructor(private readonly opts: ServerLinkOptions) {
    const { config } = opts;
    this.monitoring = opts.monitoring ?? null;
    this.client = new ApiClient({
      baseUrl: opts.baseUrl,
      credentials: opts.credentials,
      transport: opts.transport ?? createHttpTransport({ maxSockets: config.maxSockets, maxReplyBytes: config.maxReplyBytes }),
      retry: config.retry,
      timeoutMs: config.requestTimeoutMs,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
    this.designed = new DesignedEndpoints(this.client, { rvmId: () => this.info?.rvmId ?? null, deviceId: () => this.hardwareId }, config.designedEndpoints);
    this.state = new LinkState({
      mode: opts.mode,
      serverUrl: this.client.baseUrl,
      link: 'connecting',
      realtime: 'polling',
      realtimeDetail: 'waiting for the handshake',
      machineUuid: null,
      rvmId: null,
      serialNumber: opts.credentials.serialNumber,
      machineName: opts.credentials.name,
      timezone: null,
      lastHandshakeAt: null,
      lastHeartbeatAt: null,
      lastError: null,
      features: this.designed.state(),
      stats: this.statsSummary(),
    });
    this.session = new LinkSessionServer(this.client, this.designed, () => this.state.get().realtime === 'realtime', config.qrPollMs);
    this.bus = opts.bus ?? new EventBus<KioskEvents>();
    this.router = new LinkRouter(this.bus, this.session);
    this.state.onChange((state) => this.router.linkState(state));
    this.report = new DeviceReport({
      hardwareId: this.hardwareId,
      fallbackName: opts.credentials.name,
      timezone: opts.timezone,
      version: opts.version,
      dataDir: opts.dataDir,
      ...(opts.binCapacity ? { binCapacity: opts.binCapacity } : {}),
      ...(opts.machineStatus ? { machineStatus: opts.machineStatus } : {}),
      ...(opts.hardwareInfo ? { hardwareInfo: opts.hardwareInfo } : {}),
      openAlerts: () => this.monitoring?.openAlerts() ?? null,
    });
    this.handshakes = new HandshakeRunner({
      client: this.client,
      body: () => this.report.handshake(),
      firstDelayMs: config.handshakeFirstDelayMs,
      capMs: config.handshakeCapMs,
      // No fleet behind the built-in simulator: the demo comes online at once.
      startSpreadMs: opts.mode === 'simulator' ? 0 : Math.min(config.spreadMs, config.handshakeFirstDelayMs),
      ...(opts.random ? { random: opts.random } : {}),
      onOutcome: (o) => this.handshakeDone(o),
    });
    this.heartbeat = new HeartbeatLoop({
      client: this.client,
      body: () => this.report.heartbeat(),
      minMs: config.heartbeatMinMs,
      maxMs: Math.max(config.heartbeatMinMs, config.heartbeatMaxMs),
      ...(opts.random ? { random: opts.random } : {}),
      onOutcome: (o) => this.heartbeatDone(o),
    });
    this.designed.onChange((features) => this.state.patch({ features }));
    this.client.onExchange(({ status }) => this.onExchange(status));
  }

  get hardwareId(): string {
    return this.opts.config.hardwareId || this.opts.credentials.serialNumber;
  }

  get handshakeInfo(): HandshakeInfo | null {
    return this.info;
  }

  /** Returns at once: the kiosk runs while the link comes up (or does not). */
  start(): void {
    this.handshakes.start();
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.handshakes.stop();
    this.heartbeat.stop();
    this.realtime?.stop();
    this.session.stop();
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    await this.client.close();
  }

  /** Each accepted handshake (policy, AI model target); a late listener gets the latest at once. */
  onHandshake(listener: (info: HandshakeInfo) => void): () => void {
    if (this.info) listener(this.info);
    return this.handshakeListeners.add(listener);
  }

  onTimeSample(listener: (sample: ServerTimeSample) => void): () => void {
    return this.client.onTimeSample(listener);
  }

  setMonitoring(monitoring: LinkMonitoring): void {
    this.monitoring = monitoring;
  }

  /**
   * One telemetry round (every telemetryEveryMs once the handshake succeeded): the readings since the last
   * round to `edge/telemetry`, their per-sensor summary and the open alerts to `rvms/{id}/metrics`, each only
   * while the server has it (DesignedEndpoints switches a family off at its first 404). Readings of a round
   * that fails are not kept: the local history has them. Metrics go every round, readings or not: CPU,
   * memory, disk, temperatures and the items/rejects of the period are worth sending on a quiet machine.
   */
  async sendTelemetry(): Promise<{ readings: number; telemetry: boolean; metrics: boolean }> {
    if (!this.info) return { readings: 0, telemetry: false, metrics: false };
    const since = this.lastTelemetryAt;
    this.lastTelemetryAt = Date.now();
    const readings = this.monitoring?.drainReadings() ?? [];
    const items = this.monitoring?.drainItemCounts?.() ?? { accepted: 0, rejected: 0 };
    const [telemetry, metrics] = await Promise.all([
      this.designed.isOff('telemetry') || readings.length === 0 ? null : this.designed.telemetry(this.report.telemetry(readings, this.lastTelemetryAt)),
      this.designed.isOff('metrics') ? null : this.designed.metrics(this.report.metrics(readings, since, this.lastTelemetryAt, items)),
    ]);
    return { readings: readings.length, telemetry: telemetry?.ok ?? false, metrics: metrics?.ok ?? false };
  }

  /** Handshake, then a heartbeat: what the maintenance screen's "test connection" reports. */
  async testConnection(): Promise<{ ok: boolean; link: LinkStatus; message: string }> {
    const hs = await this.handshakes.runNow();
    if (hs.kind !== 'ok') return { ok: false, link: this.state.get().link, message: hs.message };
    const hb = await this.heartbeat.beatNow();
    const message = hb.kind === 'ok' ? 'handshake and heartbeat accepted' : `handshake accepted; heartbeat: ${hb.message}`;
    return { ok: hb.kind === 'ok', link: this.state.get().link, message };
  }

  private handshakeDone(outcome: HandshakeOutcome): void {
    if (this.stopped) return;
    if (outcome.kind !== 'ok') {
      const link: LinkStatus = outcome.kind === 'unauthorized' ? 'unauthorized' : outcome.kind === 'blocked' ? 'blocked' : 'offline';
      if (outcome.kind === 'rejected' || outcome.kind === 'malformed') log.error('handshake refused', { status: outcome.status, message: outcome.message });
      this.state.patch({ link, lastError: `handshake: ${outcome.message}`, stats: this.statsSummary() });
      return;
    }
    const first = this.info === null;
    this.info = outcome.info;
    this.client.setMachineUuid(outcome.info.uuid);
    this.state.patch({ link: 'online', machineUuid: outcome.info.uuid, rvmId: outcome.info.rvmId, timezone: outcome.info.timezone, lastHandshakeAt: Date.now(), lastError: null, stats: this.statsSummary() });
    log.info('handshake accepted', { machineUuid: outcome.info.uuid, timezone: outcome.info.timezone });
    this.publishTimezone({ timezone: outcome.info.timezone, source: 'handshake' });
    this.handshakeListeners.emit(outcome.info, (err) => log.error('handshake listener failed', { error: String(err) }));
    if (!first) return;
    this.heartbeat.start();
    // Metrics once now that the link is up, then every metricsEveryMs (5 min by default). The phase is the
    // handshake's, which the start spread already scattered across a fleet.
    void this.sendTelemetry();
    this.telemetryTimer = setInterval(() => void this.sendTelemetry(), this.opts.telemetryEveryMs ?? this.opts.config.metricsEveryMs);
    this.telemetryTimer.unref();
    this.startRealtime(outcome.info);
    // The designed timezone sync runs from the clock (src/app/setup-clock.ts: after each handshake, paced).
  }

  private heartbeatDone(outcome: HeartbeatOutcome): void {
    if (this.stopped) return;
    const stats = this.statsSummary();
    switch (outcome.kind) {
      case 'ok':
        this.state.patch({ link: 'online', lastHeartbeatAt: Date.now(), lastError: null, stats });
        this.router.heartbeatCommands(outcome.commands);
        return;
      case 'malformed':
        this.state.patch({ lastError: `heartbeat: ${outcome.message}`, stats });
        return;
      default:
        if (outcome.kind === 'not_commissioned') log.warn('heartbeat refused: machine not commissioned (no active technician assignment)');
        this.state.patch({ link: outcome.kind, lastError: `heartbeat: ${outcome.message}`, stats });
    }
  }

  /** Any call tells whether the server is reachable; stats ride along with outcomes (server.status has them live). */
  private onExchange(status: number | null): void {
    const link = this.state.get().link;
    if (status === null && (link === 'online' || link === 'connecting')) this.state.patch({ link: 'offline', stats: this.statsSummary() });
    else if (status !== null && status >= 200 && status < 300 && link === 'offline' && this.info) this.state.patch({ link: 'online', stats: this.statsSummary() });
  }

  private startRealtime(info: HandshakeInfo): void {
    const rt = this.opts.config.realtime;
    const target = realtimeTarget(rt, info.websocket);
    if (target.kind === 'poll') {
      this.state.patch({ realtime: 'polling', realtimeDetail: target.reason });
      return;
    }
    const { appKey, host, port, scheme } = target;
    this.state.patch({ realtime: 'polling', realtimeDetail: `connecting to ${scheme}://${host}:${port}` });
    this.realtime = new RealtimeChannel({
      appKey,
      host,
      port,
      scheme,
      channel: `rvm.${info.uuid}`,
      reconnectFirstDelayMs: rt.reconnectFirstDelayMs,
      reconnectCapMs: rt.reconnectCapMs,
      reconnectSpreadMs: Math.min(this.opts.config.spreadMs, rt.reconnectCapMs),
      ...(this.opts.realtimeUnavailableMs ? { unavailableTimeoutMs: this.opts.realtimeUnavailableMs } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      onEvent: (e) => this.router.realtime(e),
      onMode: (mode, detail) => this.state.patch({ realtime: mode, realtimeDetail: detail }),
    });
    this.realtime.start();
  }

  /**
   * The kiosk config poll runs on jittered timeouts, not setInterval: an interval keeps a fleet that started
   * together in step for ever; ±20 % a round lets them drift apart (core/backoff.ts jitteredPeriod). No jitter
   * with spreadMs 0.
   */
  private period(ms: number): number {
    return this.opts.config.spreadMs > 0 ? jitteredPeriod(ms, this.opts.random) : ms;
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      void this.poll();
      this.schedulePoll();
    }, this.period(this.opts.config.configPollMs));
    this.pollTimer.unref();
  }

  /** Polling mode: kiosk config about every 30 s as the connection check, like the server's own kiosk page. */
  private async poll(): Promise<void> {
    if (!this.info || this.state.get().realtime === 'realtime') return;
    // One attempt: the next poll is the retry (a retry inside each poll triples a fleet's load in an outage).
    const result = await kioskConfig(this.client, false);
    if (!result.ok && result.kind === 'malformed') this.state.patch({ lastError: `kiosk config: ${result.message}` });
  }

  private publishTimezone(update: TimezoneUpdate): void {
    this.state.patch({ timezone: update.timezone });
    this.router.timezone(update);
  }

  private statsSummary() {
    const { total, failed, avgMs, p95Ms } = this.client.stats.snapshot(0);
    return { total, failed, avgMs, p95Ms };
  }
}

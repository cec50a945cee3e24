/**
 * The designed endpoints the kiosk calls (v2 timezone sync: its two spellings are designed-timezone.ts; `rvms/{id}/config` for the confidence
 * threshold, QR session status, and for monitoring `edge/telemetry` and `rvms/{id}/metrics`). Today's
 * MyRVM-Server has none of them, so each family is probed on first use and switched off for the rest of
 * the run when the server answers 404/405 — or Sanctum's bare 401 "Unauthenticated." (it exists but wants a
 * user token). Once off, calls return `unsupported` without touching the network: no error loop, no log
 * spam. The other designs (model sync) get a client when something in the kiosk uses them
 * (see docs/server-link.md).
 */
import { z } from 'zod';
import { createLogger } from '../../log/logger.js';
import { failure, type ApiClient, type ApiResult, type CallSpec } from '../api-client.js';
import { Listeners } from '../listeners.js';
import type { MetricsRequest, TelemetryRequest } from '../device-report.js';
import { rvmConfigReply, sessionStatusReply } from '../schemas/designed.js';
import { telemetryCall } from './edge.js';

const log = createLogger('server.designed');

export const FEATURES = ['timezone', 'rvmConfig', 'sessionStatus', 'telemetry', 'metrics', 'remoteAccess'] as const;
export type Feature = (typeof FEATURES)[number];
export type FeatureState = 'unknown' | 'available' | 'absent';

export interface DesignedIdentity {
  /** `data.identity.rvm_id` from the handshake. */
  rvmId: () => number | null;
  /** hardware_id / serial, the device id of the timezone endpoints. */
  deviceId: () => string;
}

export class DesignedEndpoints {
  private readonly states = new Map<Feature, FeatureState>(FEATURES.map((f) => [f, 'unknown']));
  private readonly changes = new Listeners<Record<Feature, FeatureState>>();

  constructor(
    private readonly client: ApiClient,
    private readonly identity: DesignedIdentity,
    enabled = true,
  ) {
    if (!enabled) for (const f of FEATURES) this.states.set(f, 'absent');
  }

  state(): Record<Feature, FeatureState> {
    return Object.fromEntries(this.states) as Record<Feature, FeatureState>;
  }

  onChange(listener: (states: Record<Feature, FeatureState>) => void): () => void {
    return this.changes.add(listener);
  }

  rvmConfig() {
    return this.withRvmId('rvmConfig', (id) => ({ method: 'GET', path: `/api/v2/rvms/${id}/config`, auth: 'edge', schema: rvmConfigReply }));
  }

  /** Polled while a QR code is on screen and realtime is off; token in the query, never in a log line. */
  sessionStatus(token: string) {
    return this.guarded('sessionStatus', { method: 'GET', path: '/api/v1/kiosk/session/status', query: { token }, auth: 'kiosk', schema: sessionStatusReply, retry: false });
  }

  /** Monitoring readings, periodically (ServerLink's telemetry loop). */
  telemetry(body: TelemetryRequest) {
    return this.guarded('telemetry', telemetryCall(body));
  }

  /** Per-sensor summary and open alerts, periodically; one attempt, the next period carries on. */
  metrics(body: MetricsRequest) {
    return this.withRvmId('metrics', (id) => ({ method: 'POST', path: `/api/v2/rvms/${id}/metrics`, auth: 'edge', json: body, schema: metricsReply, retry: false }));
  }

  isOff(feature: Feature): boolean {
    return this.states.get(feature) === 'absent';
  }

  /** A call under `/api/v2/rvms/{id}/…`, probed and switched off like the others (feature clients in sibling files use it). */
  withRvmId<S extends z.ZodType>(feature: Feature, spec: (id: number) => CallSpec<S>): Promise<ApiResult<z.output<S>>> {
    const id = this.identity.rvmId();
    if (id === null) return Promise.resolve(failure('not_ready', null, 'no rvm id yet: the handshake has not succeeded'));
    return this.guarded(feature, spec(id));
  }

  private async guarded<S extends z.ZodType>(feature: Feature, spec: CallSpec<S>): Promise<ApiResult<z.output<S>>> {
    if (this.isOff(feature)) return failure('unsupported', null, `${feature}: not offered by this server`);
    const result = await this.client.call(spec);
    if (result.ok) this.set(feature, 'available');
    else if (result.kind === 'http' && isAbsent(result.status, result.body)) {
      log.info('designed endpoint not offered by this server: switched off', { feature, path: spec.path, status: result.status });
      this.set(feature, 'absent');
      return failure('unsupported', result.status, `${feature}: not offered by this server`);
    }
    return result;
  }

  /** Also for a family probed elsewhere: designed-timezone.ts tries two spellings before calling it absent. */
  set(feature: Feature, state: FeatureState): void {
    if (this.states.get(feature) === state) return;
    this.states.set(feature, state);
    this.changes.emit(this.state());
  }
}

const metricsReply = z.object({ status: z.literal('success') }).passthrough();

/** 404/405: no such route. A 401 without an edge `error_code` is Sanctum asking for a user token we never have. */
function isAbsent(status: number | null, body: unknown): boolean {
  if (status === 404 || status === 405) return true;
  const errorCode = body && typeof body === 'object' ? (body as { error_code?: unknown }).error_code : undefined;
  return status === 401 && errorCode === undefined;
}

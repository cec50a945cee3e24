/**
 * Wire shapes of the edge endpoints (`/api/v1/edge/*`, `X-RVM-API-KEY`), as MyRVM-Server really answers
 * (docs: myrvm-server-contract.md §1). Only what the kiosk relies on is required; sections it can live
 * without are optional, so a server that adds or drops a field does not break the link.
 */
import { z } from 'zod';

export const handshakeReply = z.object({
  status: z.literal('success'),
  message: z.string().optional(),
  data: z.object({
    identity: z.object({
      rvm_id: z.number().int(),
      rvm_uuid: z.string().regex(/^[0-9a-f-]{36}$/i, 'expected a 36-character UUID'),
      rvm_name: z.string().nullable().optional(),
    }),
    kiosk: z.object({ url: z.string().optional(), timezone: z.string().min(1) }),
    websocket: z
      .object({
        channel: z.string(),
        auth_token: z.string().optional(),
        host: z.string().nullable().optional(),
        port: z.number().int().optional(),
        scheme: z.string().optional(),
      })
      .optional(),
    policy: z
      .object({
        is_maintenance_mode: z.boolean().optional(),
        bin_full_threshold_percent: z.number().optional(),
        camera_idle_timeout_sec: z.number().optional(),
        motor_speed_delay: z.number().optional(),
      })
      .optional(),
    ai_model: z
      .object({
        target_version: z.string().nullable().optional(),
        hash: z.string().nullable().optional(),
        update_source_url: z.string().nullable().optional(),
      })
      .optional(),
  }),
});
export type HandshakeReply = z.infer<typeof handshakeReply>;

export const edgeCommand = z.object({
  action: z.string().min(1),
  timestamp: z.string().optional(),
});
export type EdgeCommand = z.infer<typeof edgeCommand>;

export const heartbeatReply = z.object({
  status: z.literal('success'),
  server_time: z.string().optional(),
  commands: z.array(edgeCommand).default([]),
});
export type HeartbeatReply = z.infer<typeof heartbeatReply>;

/**
 * The two delivery replies are the proof a credit arrived, so they are checked more strictly than the rest:
 * only a reply of this shape (and the status in DEPOSIT_STATUS / SYNC_OFFLINE_STATUS) acknowledges a record.
 *
 * Deposit (contract §1.6): 201 `{"status":"success","message":"Deposit processed","data":{"image_url":…,
 * "ai_result":<the data we sent, parsed>,"processed_at":ISO}}`. `data.image_url` is where the server stored
 * the image, so it is required; `ai_result` echoes our `data` JSON (with `client_id`).
 */
export const DEPOSIT_STATUS = [201] as const;
export const depositReply = z.object({
  status: z.literal('success'),
  message: z.string().optional(),
  data: z.object({ image_url: z.string().min(1), ai_result: z.unknown().optional(), processed_at: z.string().optional() }),
});

/** Sync-offline (contract §1.6): 200 `{"status":"success","message":"Synced N offline transactions","synced_count":N}`, N = transactions sent. */
export const SYNC_OFFLINE_STATUS = [200] as const;
export const syncOfflineReply = z.object({
  status: z.literal('success'),
  message: z.string().optional(),
  synced_count: z.number().int().nonnegative(),
});

/** What the kiosk sends in a handshake. `ip_local` must always be present (the real server answers 500 without it). */
export interface HandshakeRequest {
  hardware_id: string;
  name: string;
  ip_local: string | null;
  ip_vpn: string | null;
  timezone: string;
  system: {
    firmware_version: string;
    jetpack_version?: string;
    ai_models?: { model_name: string; model_version: string; hash: string };
  };
  controller_type?: string;
  health_metrics: HealthMetrics;
  hardware_info: { cameras: unknown[]; sensors: unknown[]; actuators: unknown[]; microcontroller: unknown[] };
}

export interface HealthMetrics {
  cpu_usage_percent: number;
  memory_usage_percent: number;
  disk_usage_percent: number;
  cpu_temperature?: number;
  /** The kiosk process's RSS and core-thread heap in MiB (system-info.ts processMemory); the server ignores fields it does not validate. */
  process_rss_mb?: number;
  process_heap_used_mb?: number;
}

export interface HeartbeatRequest {
  hardware_id: string;
  status: string;
  version: string;
  bin_capacity: number;
  health_metrics: HealthMetrics;
  ip_local: string | null;
  tailscale_ip?: string;
}

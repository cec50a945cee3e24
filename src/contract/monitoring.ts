/**
 * Machine monitoring for the technician's screens: open alerts (pushed as `monitoring.alerts`) and the
 * alert log with filters, acknowledge and resolve (technicians only: the actor is the technician signed in
 * to maintenance mode, never a name the screen sends), sensor history downsampled for a chart, today's
 * summary, and CSV text of the history or the alert log for a range.
 */
import { z } from 'zod';
import { command, technicianCommand } from './define.js';
import { TimeBound } from './outbox.js';

export const AlertStatusSchema = z.enum(['raised', 'acknowledged', 'resolved']);
export const AlertSeveritySchema = z.enum(['info', 'warning', 'critical']);

export const AlertActorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('system') }),
  z.object({ kind: z.literal('technician'), name: z.string(), assignmentId: z.number().int().nullable() }),
]);

/** One channel's settled delivery of a transition: when it was sent or given up, and why it failed. */
export const DeliveryRecordSchema = z.object({ status: z.enum(['sent', 'failed']), at: z.number(), error: z.string().optional() });

export const AlertSchema = z.object({
  id: z.string(),
  /** The rule that raised it, e.g. `bin_full.glass`. */
  rule: z.string(),
  sensor: z.string(),
  severity: AlertSeveritySchema,
  effect: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('stop_sessions') }),
    z.object({ kind: z.literal('stop_material'), material: z.enum(['pet', 'can', 'glass']) }),
  ]),
  status: AlertStatusSchema,
  value: z.number(),
  threshold: z.number(),
  thresholdSource: z.enum(['default', 'config', 'server']),
  raisedAt: z.number(),
  updatedAt: z.number(),
  history: z.array(
    z.object({
      status: AlertStatusSchema,
      at: z.number(),
      by: AlertActorSchema,
      note: z.string().nullable(),
      /** How this transition reached the channels that report per delivery (the webhook); absent until settled. */
      delivery: z.object({ webhook: DeliveryRecordSchema.optional() }).optional(),
    }),
  ),
});

export const OpenAlerts = z.object({ open: z.array(AlertSchema) });

export const HistoryRange = z.object({
  /** Inclusive. Epoch ms or ISO 8601 with offset. */
  from: TimeBound,
  /** Exclusive; default now. */
  to: TimeBound.optional(),
});

export const SensorReading = z.object({
  sensor: z.string(),
  label: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  at: z.number().nullable(),
});

const count = z.number().int().nonnegative();

export const MonitoringSummary = z.object({
  /** The machine's local date the figures are for, and when counting began (start-up or midnight). */
  day: z.string(),
  since: z.number(),
  items: z.object({ pet: count, can: count, glass: count }),
  accepted: count,
  rejected: count,
  points: count,
  rejectRate: z.number().min(0).max(1),
  openAlerts: z.object({ total: count, critical: count, warning: count, info: count }),
  /** Since the kiosk core started, and since the computer booted. */
  uptimeMs: z.number().nonnegative(),
  systemUptimeMs: z.number().nonnegative(),
  startedAt: z.number(),
});

const Note = z.string().trim().min(1).max(2_000);

export const monitoringCommands = {
  /** Open alerts, and the log filtered by status, rule, date raised and text (newest first). */
  'monitoring.alerts': command(
    z
      .object({
        status: z.enum(['open', 'raised', 'acknowledged', 'resolved']).optional(),
        rule: z.string().max(200).optional(),
        from: TimeBound.optional(),
        to: TimeBound.optional(),
        text: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1_000).default(100),
      })
      .strict(),
    z.object({ open: z.array(AlertSchema), total: count, alerts: z.array(AlertSchema) }),
  ),
  'monitoring.acknowledge': technicianCommand(z.object({ id: z.string().min(1), note: Note.optional() }).strict(), AlertSchema),
  'monitoring.resolve': technicianCommand(z.object({ id: z.string().min(1), note: Note }).strict(), AlertSchema),
  /** One sensor over a range, averaged down to at most `maxPoints` points (each with the bucket's min and max). */
  'monitoring.history': command(
    HistoryRange.extend({ sensor: z.string().min(1).max(100), maxPoints: z.number().int().min(2).max(5_000).default(500) }).strict(),
    z.object({
      sensor: z.string(),
      unit: z.string(),
      from: z.number(),
      to: z.number(),
      points: z.array(z.object({ at: z.number(), value: z.number(), min: z.number(), max: z.number() })),
    }),
  ),
  /** Every sensor with its latest reading (null until one arrived). */
  'monitoring.sensors': command(z.object({}).strict(), z.object({ sensors: z.array(SensorReading) })),
  'monitoring.summary': command(z.object({}).strict(), MonitoringSummary),
  /** CSV text (RFC 4180) of the history (all sensors, or one) or of the alert log raised in the range. */
  'monitoring.exportCsv': technicianCommand(
    HistoryRange.extend({ kind: z.enum(['history', 'alerts']), sensor: z.string().min(1).max(100).optional() }).strict(),
    z.object({ filename: z.string(), rows: count, csv: z.string() }),
  ),
} as const;

export const monitoringEvents = {
  'monitoring.alerts': OpenAlerts,
} as const;

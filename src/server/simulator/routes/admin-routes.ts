/**
 * The simulator's control panel over HTTP (`/__sim/*`), for the CLI, demos and out-of-process tests:
 * inspect what arrived, inject faults and outages, queue dashboard commands, publish realtime events,
 * change the technician assignment. Loopback tooling, not part of any server contract; never faulted.
 */
import { z } from 'zod';
import { describeZodError } from '../../../core/describe-error.js';
import { faultRule, outageRequest, type FaultInjector } from '../faults.js';
import { jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import type { AssignmentStatus } from '../sim-state.js';

function parse<S extends z.ZodType>(schema: S, req: SimRequest): { ok: true; data: z.output<S> } | { ok: false; reply: SimReply } {
  const parsed = schema.safeParse(jsonBody(req));
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, reply: json(422, { message: describeZodError(parsed.error) }) };
}

export function summary(ctx: SimContext, faults: FaultInjector) {
  const { state } = ctx;
  return {
    machine: { id: state.machine.id, uuid: state.machine.uuid, serial_number: state.machine.serialNumber, name: state.machine.name, status: state.machine.status },
    assignments: state.assignments.map((a) => ({ id: a.id, technician: a.technicianName, status: a.status })),
    handshakes: state.handshakes.length,
    heartbeats: state.heartbeats.length,
    deposits: state.deposits.length,
    offline_items: state.offlineItems.length,
    client_ids: state.receivedClientIds().length,
    duplicate_client_ids: state.duplicateClientIds(),
    queued_commands: state.commandQueue.length,
    realtime_connections: ctx.pusher?.connections ?? 0,
    faults: faults.describe(),
  };
}

export function adminRoutes(router: Router, ctx: SimContext, faults: FaultInjector, outage: (ms: number, mode: 'drop' | '503') => void): void {
  router
    .add('GET', '/__sim/state', () => json(200, summary(ctx, faults)))
    .add('POST', '/__sim/faults', (req) => {
      const parsed = parse(z.object({ rules: z.array(faultRule) }), req);
      if (!parsed.ok) return parsed.reply;
      const body = parsed.data;
      faults.clear();
      for (const rule of body.rules) faults.add(rule);
      return json(200, faults.describe());
    })
    .add('DELETE', '/__sim/faults', () => {
      faults.clear();
      return json(200, faults.describe());
    })
    .add('POST', '/__sim/outage', (req) => {
      const parsed = parse(outageRequest, req);
      if (!parsed.ok) return parsed.reply;
      const body = parsed.data;
      outage(body.ms, body.mode);
      return json(200, faults.describe());
    })
    .add('POST', '/__sim/commands', (req) => {
      const parsed = parse(z.object({ action: z.enum(['GIT_PULL', 'RESTART']) }), req);
      if (!parsed.ok) return parsed.reply;
      const body = parsed.data;
      ctx.state.commandQueue.push({ action: body.action, timestamp: jakartaIso(ctx.now()) });
      return json(200, { status: 'success', message: `Command ${body.action} queued for device ${ctx.state.machine.name}.` });
    })
    .add('POST', '/__sim/realtime/publish', (req) => {
      const parsed = parse(z.object({ event: z.string().min(1), payload: z.unknown() }), req);
      if (!parsed.ok) return parsed.reply;
      const body = parsed.data;
      const sent = ctx.pusher?.publish(`rvm.${ctx.state.machine.uuid}`, body.event, body.payload) ?? 0;
      return json(200, { sent });
    })
    .add('POST', '/__sim/realtime/drop', () => {
      ctx.pusher?.dropAll();
      return json(200, { dropped: true });
    })
    .add('POST', '/__sim/assignment', (req) => {
      const statuses = ['assigned', 'in_progress', 'active', 'suspended', 'revoked', 'completed'] as const;
      const parsed = parse(z.object({ status: z.enum(statuses), pin: z.string().regex(/^\d{6}$/).optional() }), req);
      if (!parsed.ok) return parsed.reply;
      const body = parsed.data;
      const first = ctx.state.assignments[0];
      if (!first) return json(404, { message: 'no assignment' });
      first.status = body.status as AssignmentStatus;
      if (body.pin) first.pin = body.pin;
      return json(200, { id: first.id, status: first.status });
    });
}

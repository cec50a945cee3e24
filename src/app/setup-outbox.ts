/**
 * The durable outbox for credits: journal under <dataDir>/outbox, the outbox.* commands, `outbox.state`
 * events (at most one per 250 ms), out-of-service reasons when the backlog or the disk hits its limit or
 * writes fail, and a notice when the journal was found damaged (a technician must look; the machine still
 * takes items safely). The server link attaches its sender later with `outbox.attachSender(...)` (see
 * docs/outbox.md).
 */
import path from 'node:path';
import { CommandError } from '../core/kiosk-core.js';
import { NOTICES, OUT_OF_SERVICE, type OutboxAlarm } from '../outbox/alarms.js';
import { Outbox, OutboxHeldError, type OutboxHooks, type OutboxStatus } from '../outbox/outbox.js';
import type { KioskContext } from './context.js';

const EMIT_EVERY_MS = 250;

/** `io`: the outbox's filesystem and free-space probe, for tests that simulate a full or failing disk. */
export async function setupOutbox(ctx: KioskContext, io: Pick<OutboxHooks, 'fs' | 'freeBytes'> = {}): Promise<Outbox> {
  const { core, status } = ctx;
  const config = ctx.config.outbox;
  let outbox: Outbox | null = null;
  let timer: NodeJS.Timeout | null = null;
  let dirty = false;

  const publish = (): void => {
    if (!outbox) return;
    const state = outbox.state();
    core.emit('outbox.state', state);
    applyStatus(state);
  };
  const applyStatus = (state: OutboxStatus): void => {
    // Several alarms may share a code (write_failed, ack_write_failed): raised if any of them is.
    const raised = new Map<string, string>();
    for (const alarm of state.alarms) {
      const code = OUT_OF_SERVICE[alarm];
      if (code && !raised.has(code)) raised.set(code, detailFor(alarm, state, config));
    }
    for (const code of new Set(Object.values(OUT_OF_SERVICE))) {
      const detail = raised.get(code);
      if (detail !== undefined) status.raise(code, detail);
      else status.clear(code);
    }
    for (const [alarm, code] of Object.entries(NOTICES)) {
      if (state.alarms.includes(alarm as OutboxAlarm)) status.notice(code, detailFor(alarm as OutboxAlarm, state, config));
      else status.clearNotice(code);
    }
  };
  // Leading and trailing throttle: the first change goes out at once, a burst ends with its final figures.
  const onState = (): void => {
    if (timer) {
      dirty = true;
      return;
    }
    publish();
    const tick = (): void => {
      timer = null;
      if (dirty) {
        dirty = false;
        publish();
        timer = setTimeout(tick, EMIT_EVERY_MS);
      }
    };
    timer = setTimeout(tick, EMIT_EVERY_MS);
  };

  outbox = await Outbox.open(path.join(ctx.config.dataDir, 'outbox'), config, { ...io, onState });
  const box = outbox;
  publish();

  core.handle('outbox.status', () => box.state());
  core.handle('outbox.preview', (request) => box.preview({ limit: request.limit ?? 50, from: request.from, to: request.to }));
  core.handle('outbox.push', async (request) => {
    try {
      const report = await box.push({ from: request.from, to: request.to });
      return { ...report, message: report.message ?? null, state: box.state() };
    } catch (err) {
      if (err instanceof OutboxHeldError) throw new CommandError('outbox_held', err.message);
      throw new CommandError('outbox_push_failed', err instanceof Error ? err.message : String(err));
    }
  });
  // The hold switch for maintenance windows, and the push history (docs/outbox.md, "Hold and history").
  core.handle('outbox.hold', async (request) => {
    try {
      await box.setHold(request.on, request.reason ?? null);
    } catch (err) {
      throw new CommandError('outbox_hold_failed', err instanceof Error ? err.message : String(err));
    }
    return box.state();
  });
  core.handle('outbox.history', (request) => ({ entries: box.pushHistory(request.limit ?? 50) }));
  core.onDispose(async () => {
    if (timer) clearTimeout(timer);
    await box.close();
  });
  return box;
}

function detailFor(alarm: OutboxAlarm, state: OutboxStatus, config: { maxPending: number; minFreeBytes: number }): string {
  switch (alarm) {
    case 'disk_low':
      return `less than ${Math.round(config.minFreeBytes / 1024 / 1024)} MB free for the outbox`;
    case 'write_failed':
      return `credits cannot be written: ${state.writeError ?? 'write failed'}`;
    case 'ack_write_failed':
      return `delivery paused: ${state.ackPending} delivered credit(s) whose acknowledgement cannot be written`;
    case 'corrupt_records':
      return `credit journal damaged: ${state.damagedLines} line(s) at start-up, about ${state.damagedCredits} credit(s); ${state.quarantined} file(s) in outbox/quarantine`;
    default:
      return `${config.maxPending} or more credits waiting for the server`;
  }
}

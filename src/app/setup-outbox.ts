/**
 * The durable outbox for credits: journal under <dataDir>/outbox, the outbox.* commands, `outbox.state`
 * events (at most one per 250 ms), and out-of-service reasons when the backlog or the disk hits its limit.
 * The server link attaches its sender later with `outbox.attachSender(...)` (see docs/outbox.md).
 */
import path from 'node:path';
import { CommandError } from '../core/kiosk-core.js';
import { OUT_OF_SERVICE } from '../outbox/alarms.js';
import { Outbox, type OutboxStatus } from '../outbox/outbox.js';
import type { KioskContext } from './context.js';

const EMIT_EVERY_MS = 250;

export async function setupOutbox(ctx: KioskContext): Promise<Outbox> {
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
    for (const [alarm, code] of Object.entries(OUT_OF_SERVICE)) {
      if (state.alarms.includes(alarm as OutboxStatus['alarms'][number])) status.raise(code, detailFor(alarm, config));
      else status.clear(code);
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

  outbox = await Outbox.open(path.join(ctx.config.dataDir, 'outbox'), config, { onState });
  const box = outbox;
  publish();

  core.handle('outbox.status', () => box.state());
  core.handle('outbox.preview', (request) => box.preview({ limit: request.limit ?? 50, from: request.from, to: request.to }));
  core.handle('outbox.push', async (request) => {
    try {
      const report = await box.push({ from: request.from, to: request.to });
      return { ...report, message: report.message ?? null, state: box.state() };
    } catch (err) {
      throw new CommandError(err instanceof Error ? err.message : String(err));
    }
  });
  core.onDispose(async () => {
    if (timer) clearTimeout(timer);
    await box.close();
  });
  return box;
}

function detailFor(alarm: string, config: { maxPending: number; minFreeBytes: number }): string {
  return alarm === 'disk_low'
    ? `less than ${Math.round(config.minFreeBytes / 1024 / 1024)} MB free for the outbox`
    : `${config.maxPending} or more credits waiting for the server`;
}

/**
 * Realtime notices (`item.processed`, `ui.update`, on the bus as `server.notice`) to the recycler's screen as
 * the contract's `server.notice`: a code and numbers, never the server's text, so the toast speaks the
 * recycler's language. A payload that does not fit is dropped (the link router already validated its shape).
 */
import type { z } from 'zod';
import type { ServerNotice as ServerNoticeSchema } from '../contract/server.js';
import type { ServerNotice as BusNotice } from '../domain/events.js';
import type { KioskContext } from './context.js';

export type ScreenNotice = z.output<typeof ServerNoticeSchema>;

const UI_TYPES = new Set(['session_authorized', 'item_processed', 'session_ended', 'hardware_status', 'error'] as const);

export function forwardServerNotices({ core, bus }: KioskContext): void {
  core.onDispose(bus.on('server.notice', (notice) => {
    const screen = toScreenNotice(notice, Date.now());
    if (screen) core.emit('server.notice', screen);
  }));
}

export function toScreenNotice(notice: BusNotice, at: number): ScreenNotice | null {
  const p = notice.payload;
  if (notice.event === 'item.processed') {
    const points = typeof p.points_awarded === 'number' && Number.isInteger(p.points_awarded) ? p.points_awarded : null;
    return { code: p.accepted === true ? 'item_accepted' : 'item_rejected', points, material: materialOf(p.item_type), at };
  }
  const type = p.type as ScreenNotice['code'];
  if (!UI_TYPES.has(type as never)) return null;
  return { code: type, points: null, material: null, at };
}

/** The server's item type (free text such as `PET`, `Kaleng`, `glass_bottle`) as a kiosk material, if it names one. */
function materialOf(itemType: unknown): ScreenNotice['material'] {
  if (typeof itemType !== 'string') return null;
  const t = itemType.toLowerCase();
  if (/pet|plasti/.test(t)) return 'pet';
  if (/can|kaleng|alumin/.test(t)) return 'can';
  if (/glass|kaca/.test(t)) return 'glass';
  return null;
}

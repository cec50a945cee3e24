/**
 * Only the kiosk window's own top-level page may talk to the core. A message from any other web contents, a
 * sub-frame, or a page that somehow left our app:// origin is refused: the core handles credits.
 */
import type { WebContents } from 'electron';
import { isAppUrl } from './app-paths.js';

interface FrameLike {
  processId: number;
  routingId: number;
  url: string;
}

/** The parts of an IpcMainEvent / IpcMainInvokeEvent the check looks at. */
export interface SenderEvent {
  sender: { id: number };
  senderFrame: FrameLike | null;
}

export function isKioskFrame(event: SenderEvent, contents: WebContents): boolean {
  const frame = event.senderFrame; // null when the frame has already gone
  if (!frame || contents.isDestroyed() || event.sender.id !== contents.id) return false;
  const main = contents.mainFrame;
  return frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url);
}

export function describeSender(event: SenderEvent): Record<string, unknown> {
  return { contentsId: event.sender.id, frameUrl: event.senderFrame?.url ?? null };
}

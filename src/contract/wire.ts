/**
 * The envelope every transport carries. The browser host sends these as JSON over a WebSocket; the Electron
 * preload passes the same objects over IPC. Replies are matched to commands by `id`.
 */
import { z } from 'zod';
import type { RefusalCode } from './errors.js';

export const CommandMessageSchema = z.object({
  type: z.literal('command'),
  id: z.union([z.string().min(1).max(64), z.number().int()]),
  name: z.string().min(1).max(100),
  payload: z.unknown().optional(),
});

export type ContractErrorCode = 'bad_message' | 'unknown_command' | 'invalid_request' | 'forbidden' | 'failed' | 'invalid_reply';

export interface CommandMessage {
  type: 'command';
  id: string | number;
  name: string;
  payload: unknown;
}

export type ReplyMessage =
  | { type: 'reply'; id: string | number | null; ok: true; result: unknown }
  | { type: 'reply'; id: string | number | null; ok: false; error: { code: ContractErrorCode; reason: RefusalCode; message: string } };

export interface EventMessage {
  type: 'event';
  name: string;
  payload: unknown;
}

/** Sent once by a UI when it can take events: the core answers with the latest state of every event. */
export interface ReadyMessage {
  type: 'ready';
}

export type WireMessage = CommandMessage | ReplyMessage | EventMessage | ReadyMessage;

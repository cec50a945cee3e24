/**
 * What the server says the machine should run. MyRVM-Server announces it in the handshake reply
 * (`data.ai_model.{target_version, hash, update_source_url}`) and, where a client may call it, in the
 * `GET /api/v1/edge/model-sync` reply (`data.{latest_version, sha256_hash, download_url, model_name}`).
 * Both are turned into one ModelAnnouncement here; anything malformed is "no announcement", never a crash.
 */
import { z } from 'zod';

export interface ModelAnnouncement {
  version: string;
  sha256: string;
  /** Absolute, or relative to the sync's base URL (the model-sync endpoint gives a path). */
  url: string;
  name?: string;
}

const sha256 = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/));

const handshakeAiModel = z.object({
  target_version: z.string().min(1),
  hash: sha256,
  update_source_url: z.string().min(1),
});

const modelSyncReply = z.object({
  update_available: z.literal(true),
  data: z.object({ model_name: z.string().optional(), latest_version: z.string().min(1), sha256_hash: sha256, download_url: z.string().min(1) }),
});

/** From the handshake's `data.ai_model`; null when the server has no model to offer (hash/url null). */
export function fromHandshake(aiModel: unknown): ModelAnnouncement | null {
  const parsed = handshakeAiModel.safeParse(aiModel);
  if (!parsed.success) return null;
  return { version: parsed.data.target_version, sha256: parsed.data.hash, url: parsed.data.update_source_url };
}

/** From a model-sync reply; null when it says there is no update. */
export function fromModelSyncReply(reply: unknown): ModelAnnouncement | null {
  const parsed = modelSyncReply.safeParse(reply);
  if (!parsed.success) return null;
  const { latest_version, sha256_hash, download_url, model_name } = parsed.data.data;
  return { version: latest_version, sha256: sha256_hash, url: download_url, ...(model_name ? { name: model_name } : {}) };
}

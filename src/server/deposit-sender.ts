/**
 * Delivery of credit records to MyRVM-Server, for the outbox.
 *
 *   const sender = createDepositSender(link.client);      // one per link, made when the link is built
 *   const r = await sender.sendDeposit(record);           // one record: POST /api/v1/edge/deposit (multipart)
 *   const r = await sender.sendOfflineBatch(records);     // many: POST /api/v1/edge/sync-offline
 *
 * SendResult (shaped to fit the outbox's own SendResult in src/outbox/sender.ts, so no mapping is needed):
 *   { kind: 'ok', accepted, via }                 the server's own answer says it took them. Remove from the outbox.
 *   { kind: 'retryable', message, status, retryAfterMs? }
 *                                                 not known to be delivered, try again later (network, timeout,
 *                                                 429, 5xx, 3xx, 401/403 credentials or commissioning, link not
 *                                                 ready yet, and any answer that is not MyRVM's, see below).
 *                                                 `retryAfterMs` is the server's hint when it gave one.
 *   { kind: 'permanent', message, status }        the server refuses this content for good (400/413/422):
 *                                                 park it, do not resend as is.
 *
 * What counts as delivered, precisely: `ok` only when the reply is the one MyRVM-Server gives for a stored
 * record: the promised status (deposit 201, sync-offline 200) AND a body that passes the zod schema in
 * schemas/edge.ts (`status: "success"`; deposit: `data.image_url`; sync-offline: an integer `synced_count`,
 * which must equal the number of transactions sent), read within `server.maxReplyBytes`; and, where the
 * deposit reply echoes our data (`data.ai_result.client_id`), the echo must name this record. Anything else
 * with a 2xx (a captive portal's HTML, JSON with wrong types, an oversize body, another 2xx) is `retryable`
 * with the message "the server's answer was not a MyRVM reply: …", never `ok` and never `permanent`.
 *
 * Duplicates, precisely: every record carries its client-generated `id` as `client_id` (deposit `data`
 * JSON; each sync-offline item), so duplicates can be found server-side. The real server does NOT
 * de-duplicate, so a record is stored twice (once per extra try) when (a) the reply to a stored record was
 * lost (dropped connection, timeout), or (b) the server stored it but its 2xx reply arrived garbled (cut off,
 * rewritten by a proxy, oversize): that is now a retry too, because a garbled 2xx cannot be told apart from a
 * captive portal's 200 that never reached the server. Loss is not possible through either path; a duplicate
 * is, and is visible by `client_id`. This module sends each call exactly once (no internal retry by default:
 * the outbox owns the backoff).
 * A deposit needs a JPEG/PNG image (the server requires one): a record without one, or whose image the
 * server rejects, goes through sync-offline instead, so no credit is dropped for want of a picture. The
 * outbox's records carry their photo as a `photo` on disk (src/outbox/sender.ts): it is opened, checked and
 * streamed into the multipart body from the file, never read whole into memory.
 * A sync-offline batch is one server transaction: one bad item fails the whole batch with 500
 * (`retryable`); an outbox that sees a batch fail repeatedly can bisect it.
 */
import { createLogger } from '../log/logger.js';
import type { CreditRecord } from '../domain/ports.js';
import { NOT_A_MYRVM_REPLY, type ApiClient, type ApiResult } from './api-client.js';
import { deposit, syncOffline, type OfflineTransaction } from './endpoints/edge.js';
import { defaultRetryPolicy } from './retry.js';

const log = createLogger('server.deposit');

export type SendResult =
  | { kind: 'ok'; accepted: number; via: 'deposit' | 'sync-offline' }
  | { kind: 'retryable'; message: string; status: number | null; retryAfterMs?: number }
  | { kind: 'permanent'; message: string; status: number };

/** A credit as the deposit takes it: the photo in memory (`image`) or on disk (`photo`, from the outbox). */
export type DepositRecord = Omit<CreditRecord, 'image'> & {
  image?: Buffer;
  photo?: { bytes: number; open(): Promise<Blob | null> };
};

export interface DepositSender {
  sendDeposit(record: DepositRecord): Promise<SendResult>;
  sendOfflineBatch(records: Array<Omit<CreditRecord, 'image'>>): Promise<SendResult>;
}

/**
 * A credit as the outbox hands it over: a guest session's carries its claim code (the custody record →
 * credit line → here), which goes to the server as `claim_code` so the MyRVM app can claim the points.
 */
export type ClaimableCredit = CreditRecord;

const MATERIAL_LABEL = { pet: 'PLASTIC', can: 'ALUMINUM', glass: 'GLASS' } as const;
const WASTE_TYPE = { pet: 'plastic', can: 'aluminum', glass: 'glass' } as const;

export interface SenderOptions {
  /** Attempts per call (1 = none inside; the outbox schedules the next try). */
  attempts?: number;
}

export function createDepositSender(client: ApiClient, { attempts = 1 }: SenderOptions = {}): DepositSender {
  const retry = attempts <= 1 ? (false as const) : { ...defaultRetryPolicy, attempts };
  const sendOfflineBatch = async (records: Array<Omit<CreditRecord, 'image'>>): Promise<SendResult> => {
    if (records.length === 0) return { kind: 'ok', accepted: 0, via: 'sync-offline' };
    const transactions = toTransactions(records);
    const result = await syncOffline(client, transactions, retry);
    if (result.ok && result.data.synced_count !== transactions.length) {
      return notMyrvm('sync-offline', result.status, `synced_count ${result.data.synced_count} for ${transactions.length} transaction(s) sent`);
    }
    return classify(result, records.length, 'sync-offline');
  };
  return {
    sendOfflineBatch,
    async sendDeposit(record) {
      const photo = await photoOf(record);
      if (!photo) return sendOfflineBatch([record]);
      const { bytes, type } = photo;
      const result = await deposit(
        client,
        {
          image: { bytes, contentType: type, filename: `${record.id}.${type === 'image/png' ? 'png' : 'jpg'}` },
          status: 'ACCEPTED',
          data: depositData(record),
          sessionId: record.serverSessionId ?? record.sessionId,
        },
        retry,
      );
      if (!result.ok && result.kind === 'http' && (result.status === 413 || (result.status === 422 && imageWasRefused(result.body)))) {
        log.warn('server refused the item image; sending the credit without it', { id: record.id, status: result.status });
        return sendOfflineBatch([record]);
      }
      const echoed = result.ok ? echoedClientId(result.data.data.ai_result) : undefined;
      if (result.ok && echoed !== undefined && echoed !== record.id) {
        return notMyrvm('deposit', result.status, `the reply echoes client_id ${JSON.stringify(echoed).slice(0, 80)}, not this record's`);
      }
      return classify(result, 1, 'deposit');
    },
  };
}

/**
 * The deposit's `data` JSON: the client id the server can de-duplicate by, the item's figures, and a guest
 * session's `claim_code`. The server keeps `data` as given (it echoes it back as `ai_result`), so the extra
 * key is safe today and is what a claim endpoint would look deposits up by.
 */
export function depositData(record: Omit<ClaimableCredit, 'image'>): Record<string, unknown> {
  return {
    client_id: record.id,
    // The server's own id for the session where it gave one (a guest session it opened), else the kiosk's.
    session_id: record.serverSessionId ?? record.sessionId,
    material: MATERIAL_LABEL[record.material],
    weight_g: record.weightGrams,
    classification_confidence: record.confidence,
    is_accepted: true,
    points: record.points,
    deposited_at: record.at,
    ...(record.claimCode ? { claim_code: record.claimCode } : {}),
  };
}

/**
 * Consecutive records of one session become one offline transaction (with the session's claim code, if
 * any); every item keeps its client id.
 */
export function toTransactions(records: Array<Omit<ClaimableCredit, 'image'>>): OfflineTransaction[] {
  const out: OfflineTransaction[] = [];
  for (const r of records) {
    const item = { type: WASTE_TYPE[r.material], weight: (r.weightGrams ?? 0) / 1000, points: r.points, client_id: r.id, timestamp: r.at };
    const last = out.at(-1);
    const sessionId = r.serverSessionId ?? r.sessionId;
    if (last && last.session_id === sessionId && last.claim_code === r.claimCode) last.items.push(item);
    else out.push({ session_id: sessionId, timestamp: r.at, ...(r.claimCode ? { claim_code: r.claimCode } : {}), items: [item] });
  }
  return out;
}

type ImageType = 'image/jpeg' | 'image/png';

/** The record's photo and its type, or null when it has none the server would take (missing, damaged, not JPEG/PNG). */
async function photoOf(record: DepositRecord): Promise<{ bytes: Uint8Array | Blob; type: ImageType } | null> {
  if (record.image) {
    const type = imageType(record.image);
    return type && { bytes: record.image, type };
  }
  if (!record.photo) return null;
  const blob = await record.photo.open();
  if (!blob) return null;
  // Four bytes say which it is; the rest is streamed from the file by the HTTP client.
  const type = imageType(new Uint8Array(await blob.slice(0, 4).arrayBuffer()));
  return type && { bytes: blob, type };
}

function imageType(bytes: Uint8Array): ImageType | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return null;
}

function imageWasRefused(body: unknown): boolean {
  const errors = body && typeof body === 'object' ? (body as { errors?: Record<string, unknown> }).errors : undefined;
  return !!errors && Object.keys(errors).length === 1 && 'image' in errors;
}

/** The `client_id` in a deposit reply's `ai_result` echo; undefined when there is none to compare. */
function echoedClientId(aiResult: unknown): unknown {
  return aiResult && typeof aiResult === 'object' && 'client_id' in aiResult ? (aiResult as { client_id: unknown }).client_id : undefined;
}

/** A 2xx that passed the schema but does not fit what was sent: not delivered. */
function notMyrvm(via: 'deposit' | 'sync-offline', status: number, problem: string): SendResult {
  log.error('delivery reply does not fit the request; the records stay owed', { via, status, problem });
  return { kind: 'retryable', message: `${NOT_A_MYRVM_REPLY}${problem}`, status };
}

function classify(result: ApiResult<unknown>, count: number, via: 'deposit' | 'sync-offline'): SendResult {
  if (result.ok) return { kind: 'ok', accepted: count, via };
  // A `malformed` reply (2xx that is not MyRVM's answer) falls through to `retryable` with its message: it
  // may be a captive portal that never reached the server, so it is never taken as delivered (see above).
  const status = result.status;
  if (result.kind === 'http' && status !== null && (status === 400 || status === 413 || status === 422)) {
    log.error('server rejected credit records', { via, status, reason: result.message, count });
    return { kind: 'permanent', message: result.message, status };
  }
  return { kind: 'retryable', message: result.message, status, ...(result.retryAfterMs === null ? {} : { retryAfterMs: result.retryAfterMs }) };
}

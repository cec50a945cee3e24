/**
 * What flows between the server link and the other features, wired explicitly: server time → clock samples;
 * the machine's zone (bus `server.timezone`) → clock; credits → the deposit sender (one by one, with the
 * item photo and the client id in the data); back online (bus `server.online`) → flush the outbox now.
 * After each handshake, the server's policy: the bin-full threshold to the hardware monitor, the AI model
 * target to detection's model sync (downloaded with the edge API key, which never leaves the main
 * process and goes only to the server's own origin: see ModelSource). The confidence threshold from
 * `rvms/{id}/config` is threshold-sync.ts.
 */
import type { ClockSync } from '../clock/clock-sync.js';
import { spreadDelay } from '../core/backoff.js';
import type { Outbox } from '../outbox/outbox.js';
import { oneByOneSender } from '../outbox/sender.js';
import type { CreditDelivery } from '../domain/events.js';
import type { SendResult as DepositResult } from '../server/deposit-sender.js';
import type { ServerLink } from '../server/server-link.js';
import type { ServerParts } from './build-server-link.js';
import type { KioskContext } from './context.js';
import { fromHandshake, type DetectionClassifier } from './setup-detection.js';
import type { MachineHandle } from './setup-hardware.js';
import { wireThreshold } from './threshold-sync.js';

export function wireServerLink({ core, bus, config }: KioskContext, server: ServerParts, { clock, outbox }: { clock: ClockSync; outbox: Outbox }): void {
  // Each try is told on the bus (`credit.delivery`): the operator log answers "did my bottle count" with it.
  outbox.attachSender(
    oneByOneSender(async (item) => {
      const result = await server.sender.sendDeposit(item);
      bus.emit('credit.delivery', deliveryOf(item, result));
      return result;
    }),
  );
  // Back online: flush within a random wait up to the outbox's backoff cap rather than at once (the backoff timer
  // may still come first). A fleet sees the server return within seconds of each other; each kiosk would
  // otherwise send its whole backlog in that second (docs/performance.md, "Fleet through an outage").
  const spreadMs = config.server.mode === 'simulator' || config.server.spreadMs === 0 ? 0 : config.outbox.backoff.maxMs;
  let spread: NodeJS.Timeout | null = null;
  const backOnline = (): void => {
    if (spreadMs === 0) return outbox.retrySoon();
    if (spread) return;
    spread = setTimeout(() => {
      spread = null;
      outbox.retrySoon();
    }, spreadDelay(spreadMs));
    spread.unref();
  };
  const offs = [
    bus.on('server.timezone', ({ timezone, source }) => clock.setTimezone(timezone, source)),
    bus.on('server.online', backOnline),
  ];
  if (server.link) offs.push(server.link.onTimeSample((sample) => clock.addSample(sample)));
  core.onDispose(() => {
    if (spread) clearTimeout(spread);
    offs.forEach((off) => off());
  });
}

export function deliveryOf(credit: { id: string; sessionId: string }, result: DepositResult): CreditDelivery {
  const base = { itemId: credit.id, sessionId: credit.sessionId };
  if (result.kind === 'ok') return { ...base, outcome: 'delivered', via: result.via, status: null, reply: `accepted (${result.via})` };
  return { ...base, outcome: result.kind === 'permanent' ? 'refused' : 'retry', via: null, status: result.status, reply: result.message };
}

export function wireHandshakePolicy(ctx: KioskContext, link: ServerLink | null, { classifier, machine }: { classifier: DetectionClassifier; machine: MachineHandle }): void {
  // The threshold (server config, realtime, polling, the technician's command) works with or without a link.
  wireThreshold(ctx, link, classifier);
  if (!link) return;
  const off = link.onHandshake((info) => {
    const threshold = info.policy?.bin_full_threshold_percent;
    if (threshold !== undefined) machine.setBinFullPercent(threshold);
    // The key is sent only to URLs on baseUrl's origin; a model elsewhere (or a redirect there) is fetched
    // without it and installed only if its sha256 matches the handshake's (src/detection/model-sync/).
    // Each handshake is also the moment a download refused for want of a user token is tried again.
    classifier.offerModel(fromHandshake(info.aiModel), { baseUrl: link.client.baseUrl, headers: link.client.credentials.edgeAuthHeader() });
  });
  ctx.core.onDispose(off);
}

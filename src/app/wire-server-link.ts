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
import type { Outbox } from '../outbox/outbox.js';
import { oneByOneSender } from '../outbox/sender.js';
import type { ServerLink } from '../server/server-link.js';
import type { ServerParts } from './build-server-link.js';
import type { KioskContext } from './context.js';
import { fromHandshake, type DetectionClassifier } from './setup-detection.js';
import type { MachineHandle } from './setup-hardware.js';
import { wireThreshold } from './threshold-sync.js';

export function wireServerLink({ core, bus }: KioskContext, server: ServerParts, { clock, outbox }: { clock: ClockSync; outbox: Outbox }): void {
  outbox.attachSender(oneByOneSender((item) => server.sender.sendDeposit(item)));
  const offs = [
    bus.on('server.timezone', ({ timezone, source }) => clock.setTimezone(timezone, source)),
    bus.on('server.online', () => outbox.retrySoon()),
  ];
  if (server.link) offs.push(server.link.onTimeSample((sample) => clock.addSample(sample)));
  core.onDispose(() => offs.forEach((off) => off()));
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

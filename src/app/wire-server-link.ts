/**
 * What the server link feeds to the other domains, and back: server time and zone → clock; credits →
 * the deposit endpoint (one by one, with the item photo and the client id in the data); link back online →
 * flush the outbox now; fullest bin → the heartbeat's bin_capacity; RESTART / GIT_PULL → the host.
 */
import type { ClockSync } from '../clock/clock-sync.js';
import { createLogger } from '../log/logger.js';
import type { Outbox } from '../outbox/outbox.js';
import { oneByOneSender } from '../outbox/sender.js';
import { getDepositSender } from '../server/deposit-sender.js';
import { serverHub } from '../server/server-hub.js';
import type { KioskContext } from './context.js';
import { fromHandshake, type DetectionClassifier } from './setup-detection.js';
import type { MachineHandle } from './setup-hardware.js';

const log = createLogger('app.server-link');

export interface LinkedParts {
  clock: ClockSync;
  outbox: Outbox;
}

export function wireServerLink({ core }: KioskContext, { clock, outbox }: LinkedParts): void {
  const hub = serverHub(core);
  const offs = [
    hub.onTimeSample((sample) => clock.addSample(sample)),
    hub.onTimezone(({ timezone, source }) => clock.setTimezone(timezone, source)),
    hub.onOnline(() => outbox.retrySoon()),
    hub.onCommand((command) => log.info('server command received', { command: command.command, source: command.source })),
    core.subscribe((name, payload) => {
      if (name !== 'hardware.bins') return;
      const bins = (payload as { bins: Record<string, { percent: number }> }).bins;
      // The reject bin is emptied by hand on every visit; the server cares about the recyclable bins.
      hub.setBinCapacity(Math.max(...Object.entries(bins).filter(([bin]) => bin !== 'reject').map(([, level]) => level.percent)));
    }),
  ];
  outbox.attachSender(oneByOneSender((item) => getDepositSender(core).sendDeposit(item)));
  core.onDispose(() => offs.forEach((off) => off()));
}

/**
 * After each handshake, the server's policy and targets: the AI model target goes to detection's model sync
 * (downloaded with the edge API key, which never leaves the main process), the bin-full threshold to the
 * hardware monitor.
 */
export function wireHandshakePolicy({ core }: KioskContext, { classifier, machine }: { classifier: DetectionClassifier; machine: MachineHandle }): void {
  const hub = serverHub(core);
  const off = hub.onHandshake((info) => {
    const threshold = info.policy?.bin_full_threshold_percent;
    if (threshold !== undefined) machine.setBinFullPercent(threshold);
    const link = hub.link;
    if (!link) return;
    classifier.offerModel(fromHandshake(info.aiModel), { baseUrl: link.client.baseUrl, headers: link.client.credentials.edgeAuthHeader() });
  });
  core.onDispose(off);
}

/**
 * The detector's confidence threshold, live. The server's value (designed `rvms/{id}/config`) is read after
 * every handshake, again when realtime says `config_update` (or, without realtime, every
 * `server.rvmConfigPollMs`), and applied to detection at once. On today's MyRVM-Server the family answers 404
 * once and DesignedEndpoints switches it off: from then on nothing is read, nothing polled, nothing logged.
 * A technician's `detection.setThreshold` applies on this machine at once (kept across restarts) and is
 * PATCHed to the server where it has the endpoint, so the next read brings the same value back.
 */
import { TECHNICIAN_THRESHOLD } from '../contract/detection.js';
import { CommandError } from '../core/kiosk-core.js';
import { createLogger } from '../log/logger.js';
import { RvmConfigWriter } from '../server/endpoints/designed-config.js';
import type { ServerLink } from '../server/server-link.js';
import type { KioskContext } from './context.js';
import type { DetectionClassifier } from './setup-detection.js';

const log = createLogger('app.threshold');

export function wireThreshold(ctx: KioskContext, link: ServerLink | null, classifier: DetectionClassifier): void {
  const { core, bus } = ctx;
  const writer = link ? new RvmConfigWriter(link.client, link.designed, () => link.handshakeInfo?.rvmId ?? null) : null;

  core.handle('detection.setThreshold', async ({ value }) => {
    if (value !== null && (value < TECHNICIAN_THRESHOLD.min || value > TECHNICIAN_THRESHOLD.max)) {
      throw new CommandError('threshold_out_of_range', `the threshold must be within ${TECHNICIAN_THRESHOLD.min}..${TECHNICIAN_THRESHOLD.max}, got ${value}`);
    }
    // `update_config` is not granted by today's server at all (docs/maintenance.md): refused only when named false.
    const permissions = (await core.call('maintenance.status', {})).permissions;
    if (permissions?.update_config === false) throw new CommandError('forbidden', 'changing the threshold needs the "update_config" permission');
    await classifier.setLocalThreshold(value);
    log.info('confidence threshold set by a technician', { value });
    if (value === null || !writer) return { state: classifier.state(), server: 'not_offered' as const };
    const written = await writer.setConfidenceThreshold(value);
    if (written.result === 'saved') {
      classifier.setThreshold(written.value);
      return { state: classifier.state(), server: 'saved' as const };
    }
    if (written.result === 'failed') log.warn('the server did not take the threshold; it applies on this machine', { detail: written.detail });
    return { state: classifier.state(), server: written.result, detail: written.detail };
  });

  if (!link) return;
  const read = () => void readServerThreshold(link, classifier);
  let poll: NodeJS.Timeout | null = null;
  const stopPolling = () => {
    if (poll) clearInterval(poll);
    poll = null;
  };
  const offs = [
    link.onHandshake(() => {
      read();
      // Polling only stands in for realtime, and only while the family may exist on this server.
      poll ??= setInterval(() => {
        if (link.designed.isOff('rvmConfig')) return stopPolling();
        if (link.state.get().realtime !== 'realtime') read();
      }, ctx.config.server.rvmConfigPollMs);
      poll.unref();
    }),
    bus.on('server.configUpdate', ({ confidenceThreshold }) => {
      if (confidenceThreshold === undefined) return read();
      log.info('confidence threshold changed by the server (realtime)', { value: confidenceThreshold });
      classifier.setThreshold(confidenceThreshold);
    }),
    link.designed.onChange((features) => features.rvmConfig === 'absent' && stopPolling()),
  ];
  core.onDispose(() => {
    stopPolling();
    offs.forEach((off) => off());
  });
}

/** One read of `rvms/{id}/config`; a failed read keeps the value in force (the next handshake or poll tries again). */
async function readServerThreshold(link: ServerLink, classifier: DetectionClassifier): Promise<void> {
  if (link.designed.isOff('rvmConfig')) return;
  const reply = await link.designed.rvmConfig();
  if (!reply.ok) return;
  const value = reply.data.data.confidence_threshold;
  if (value === undefined) return;
  if (classifier.state().thresholdSource !== 'server' || classifier.state().threshold !== value) log.info('confidence threshold set by the server', { value });
  classifier.setThreshold(value);
}

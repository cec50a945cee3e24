/**
 * Puts the webhook's delivery status (sent / failed, with the error) on the alert transition it belongs to,
 * in the alert journal, so the technician's alert card shows it and it survives a restart with the alert.
 *
 * The webhook keeps its own record too (to resume interrupted deliveries), and it starts before monitoring:
 * a delivery resumed at start may settle before the alert store is open, so on wiring every settled
 * delivery in the webhook's record is copied over once (those already on the alert are skipped).
 */
import type { AlertBook } from '../monitoring/alert-book.js';
import type { WebhookChannel, WebhookDelivery } from '../monitoring/channels/webhook-channel.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('app.alert-deliveries');

type DeliverySource = Pick<WebhookChannel, 'deliveries' | 'onDelivery'>;

/** Returns the unsubscribe; `changed` is told after an alert got a delivery record (screens refresh then). */
export function wireAlertDeliveries(webhook: DeliverySource | null, alerts: Pick<AlertBook, 'recordDelivery'>, changed: () => void = () => undefined): () => void {
  if (!webhook) return () => undefined;
  const write = async (d: WebhookDelivery) => {
    if (d.status === 'pending') return;
    const record = { status: d.status, at: d.lastAttemptAt ?? d.at, ...(d.error ? { error: d.error } : {}) };
    try {
      if (await alerts.recordDelivery(d.alertId, { status: d.transition, at: d.at }, 'webhook', record)) changed();
    } catch (err) {
      // The webhook's own record still has it; the next start copies it over again.
      log.warn('could not record a webhook delivery on its alert', { alertId: d.alertId, error: String(err) });
    }
  };
  const off = webhook.onDelivery((d) => void write(d));
  for (const d of webhook.deliveries()) void write(d);
  return off;
}

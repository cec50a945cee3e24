/**
 * Text for a command the core refused. A refusal the technician can act on (the outbox is on hold, remote
 * access is switched off) says just that, in the screen's language; anything else keeps the generic
 * "no reply (reason)" so an unexpected failure still reads as one.
 */
import type { useT } from '../../i18n/strings.js';
import { kioskStore } from '../../store/store.js';
import { noReplyText } from './hooks.js';

export function refusalText(t: ReturnType<typeof useT>, expected: readonly string[]): string {
  const reason = kioskStore.getState().lastError;
  return reason && expected.includes(reason) ? t(`error.${reason}`) : noReplyText(t);
}

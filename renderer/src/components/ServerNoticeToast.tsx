import { useEffect, useState } from 'react';
import type { PayloadOf } from '../../../src/contract/index.js';
import { onCoreEvent } from '../client/client-ref.js';
import { useT } from '../i18n/strings.js';
import { isMaterialId } from './materials.js';

type Notice = PayloadOf<'server.notice'>;

export const NOTICE_SHOW_MS = 5_000;

/**
 * What the server says in realtime (`item.processed`, `ui.update`), for a few seconds, in the recycler's
 * language: the core sends a code and numbers, never the server's words. A notice older than its show time
 * (replayed to a screen that just connected) is not shown.
 */
export function ServerNoticeToast() {
  const t = useT();
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => onCoreEvent('server.notice', (next) => setNotice(Date.now() - next.at < NOTICE_SHOW_MS ? next : null)), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), Math.max(0, notice.at + NOTICE_SHOW_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  const text = t(`notice.${notice.code}`, { points: notice.points ?? 0 });
  const material = notice.material && isMaterialId(notice.material) ? `${t(`material.${notice.material}`)} · ` : '';
  return (
    <div className="toast notice" role="status" data-testid="server-notice-toast">
      {material}
      {text}
    </div>
  );
}

import { useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { noReplyText, useBusy } from './hooks.js';

type Target = ReplyOf<'backup.usbTargets'>['targets'][number];

/**
 * "Copy to USB": asks the core which drives are mounted, then copies the newest backup to the one tapped. A drive
 * mounted read-only is listed but cannot be chosen, so the technician sees it was found and why it is refused.
 */
export function BackupUsbPicker({ disabled, onDone }: { disabled: boolean; onDone: (text: string) => void }) {
  const t = useT();
  const [targets, setTargets] = useState<Target[] | null>(null);
  const [busy, run] = useBusy();

  const open = () =>
    run(async () => {
      if (targets) return setTargets(null);
      const reply = await callCore('backup.usbTargets', {});
      if (!reply) return onDone(noReplyText(t));
      if (reply.targets.length === 0) return onDone(t('maintenance.backup.usbNone'));
      setTargets(reply.targets);
    });
  const copy = (target: Target) =>
    run(async () => {
      setTargets(null);
      onDone(t('maintenance.working'));
      const reply = await callCore('backup.toUsb', { dir: target.dir });
      onDone(reply ? t('maintenance.backup.usbCopied', { file: reply.file }) : noReplyText(t));
    });

  return (
    <>
      <button className={`button small${targets ? ' active' : ''}`} data-testid="backup-usb" disabled={disabled || busy} onClick={() => void open()}>
        {t('maintenance.backup.toUsb')}
      </button>
      {targets ? (
        <div className="usb-targets" data-testid="backup-usb-targets">
          {targets.map((target) => (
            <button key={target.dir} className="button small" data-testid={`backup-usb-target-${target.label}`} disabled={!target.writable || busy} onClick={() => void copy(target)}>
              {target.writable ? target.label : t('maintenance.backup.usbReadOnly', { label: target.label })}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}

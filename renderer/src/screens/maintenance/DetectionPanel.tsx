import { useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText } from './hooks.js';
import { ThresholdStepper } from './ThresholdStepper.js';

type Capture = ReplyOf<'detection.testCapture'>;

/** Camera and model: what runs, how fast, model sync; a test photo classified on the spot; rollback. */
export function DetectionPanel() {
  const t = useT();
  const d = useKiosk((s) => s.detection);
  const [capture, setCapture] = useState<Capture | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const testCapture = async () => {
    setMessage('…');
    const reply = await callCore('detection.testCapture', {});
    setCapture(reply);
    setMessage(reply ? verdict(reply, t) : t('maintenance.detection.noReply'));
  };
  const checkUpdate = async () => {
    const reply = await callCore('detection.checkModelUpdate', {});
    if (!reply) return setMessage(noReplyText(t));
    setMessage(`${t('maintenance.detection.update')}: ${t(`maintenance.detection.updateOutcome.${reply.outcome}`)}${reply.targetVersion ? ` (${reply.targetVersion})` : ''}`);
  };
  const rollback = async () => {
    const reply = await callCore('detection.rollbackModel', {});
    setMessage(reply ? `${t('maintenance.detection.rolledBack')}: ${reply.model?.version ?? '—'}` : noReplyText(t));
  };

  const sync = d?.modelSync;
  return (
    <Panel
      title={t('maintenance.detection.title')}
      testId="panel-detection"
      tone={!d || d.status === 'error' || d.camera.status === 'unavailable' ? 'bad' : d.status === 'loading' ? 'warn' : 'ok'}
      facts={[
        [t('maintenance.detection.model'), d?.model ? `${d.model.name} ${d.model.version} (${t(`maintenance.detection.source.${d.model.source}`)})` : d?.error],
        [
          t('maintenance.detection.camera'),
          d ? `${t(`maintenance.detection.cameraKind.${d.camera.kind}`)}: ${t(`maintenance.detection.cameraStatus.${d.camera.status}`)}${d.camera.detail ? ` — ${d.camera.detail}` : ''}` : null,
        ],
        [t('maintenance.detection.threshold'), d ? `${d.threshold} (${t(`maintenance.detection.thresholdSource.${d.thresholdSource}`)})` : null],
        [t('maintenance.detection.timing'), d ? t('maintenance.detection.timingValue', { inference: d.lastInferenceMs?.toFixed(0) ?? '—', load: d.modelLoadMs?.toFixed(0) ?? '—' }) : null],
        [
          t('maintenance.detection.sync'),
          sync
            ? `${t(`maintenance.detection.phase.${sync.phase}`)}${sync.targetVersion ? ` → ${sync.targetVersion}` : ''}${sync.totalBytes ? ` ${Math.round((100 * sync.receivedBytes) / sync.totalBytes)}%` : ''}${sync.failure ? ` — ${t(`maintenance.detection.failure.${sync.failure}`)}` : ''}`
            : null,
        ],
      ]}
    >
      <button className="button small" data-testid="detection-test-capture" onClick={() => void testCapture()}>
        {t('maintenance.detection.testCapture')}
      </button>
      <button className="button small" data-testid="detection-check-update" onClick={() => void checkUpdate()}>
        {t('maintenance.detection.checkUpdate')}
      </button>
      {d?.canRollback ? (
        <button className="button small" data-testid="detection-rollback" onClick={() => void rollback()}>
          {t('maintenance.detection.rollback')}
        </button>
      ) : null}
      {message ? <div className="panel-result" data-testid="detection-result">{message}</div> : null}
      {d ? <ThresholdStepper current={d.threshold} /> : null}
      {capture?.preview ? <img className="capture-preview" src={capture.preview} alt="" /> : null}
    </Panel>
  );
}

function verdict(result: Capture, t: (key: string) => string): string {
  const seen = result.detections.map((x) => `${x.label} ${x.score.toFixed(2)}`).join(', ') || '—';
  const outcome = result.accepted ? `${t('session.accepted')}: ${t(`material.${result.material ?? 'reject'}`)}` : `${t('session.rejected')}: ${t(`outcome.${result.reason ?? 'detector_error'}`)}`;
  return `${outcome} · ${seen}${result.timings ? ` · ${result.timings.totalMs.toFixed(0)} ms` : ''}`;
}

/** The detection panel's threshold: source, a stepper inside the technician's bounds, set/reset and the server's answer. */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayloadOf, RequestOf } from '../../../src/contract/index.js';
import { TECHNICIAN_THRESHOLD } from '../../../src/contract/detection.js';
import { DetectionPanel } from '../../../renderer/src/screens/maintenance/DetectionPanel.js';
import { THRESHOLD_BOUNDS, stepClamp } from '../../../renderer/src/screens/maintenance/ThresholdStepper.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

type State = PayloadOf<'detection.state'>;

function detection(overrides: Partial<State> = {}): State {
  return {
    status: 'ready', model: { name: 'm1', version: '1.0.0', sha256: 'a'.repeat(64), source: 'base' }, camera: { kind: 'folder', status: 'ok' },
    lastInferenceMs: 40, modelLoadMs: 700, threshold: 0.5, thresholdSource: 'manifest', canRollback: false,
    modelSync: { phase: 'idle', targetVersion: null, receivedBytes: 0, totalBytes: null },
    ...overrides,
  };
}

describe('DetectionPanel threshold', () => {
  let view: Mounted | null = null;
  beforeEach(() => resetStore());
  afterEach(() => {
    view?.unmount();
    view = null;
  });

  it('keeps the renderer\'s copy of the technician bounds equal to the contract\'s', () => {
    expect(THRESHOLD_BOUNDS).toEqual(TECHNICIAN_THRESHOLD);
    expect([stepClamp(0), stepClamp(0.1 + 0.05), stepClamp(0.97), stepClamp(1)]).toEqual([0.05, 0.15, 0.95, 0.95]);
  });

  it('shows the threshold with its source translated', async () => {
    fakeCore();
    kioskStore.getState().setDetection(detection({ threshold: 0.65, thresholdSource: 'server' }));
    view = await mount(<DetectionPanel />);
    expect(view.text('panel-detection')).toContain('0.65 (server)');
    await act(async () => kioskStore.getState().setDetection(detection({ threshold: 0.4, thresholdSource: 'technician' })));
    expect(view.text('panel-detection')).toContain('0.4 (diatur di mesin ini)');
    expect(view.text('threshold-value')).toBe('0.40'); // the draft follows the core's new value
  });

  it('steps within the bounds and never offers a value outside them', async () => {
    fakeCore();
    kioskStore.getState().setDetection(detection({ threshold: 0.9 }));
    view = await mount(<DetectionPanel />);
    await tap(view.byTestId('threshold-up'));
    expect(view.text('threshold-value')).toBe('0.95');
    expect((view.byTestId('threshold-up') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => kioskStore.getState().setDetection(detection({ threshold: 0.02, thresholdSource: 'server' })));
    expect(view.text('threshold-value')).toBe('0.05'); // a server value below the bounds is offered at the nearest bound
    expect((view.byTestId('threshold-down') as HTMLButtonElement).disabled).toBe(true);
  });

  it('sets the threshold and says whether the server took it; resets with null', async () => {
    const outcomes = ['saved', 'not_offered', 'failed'] as const;
    let n = 0;
    const core = fakeCore({
      'detection.setThreshold': (r: RequestOf<'detection.setThreshold'>) => ({
        state: detection(r.value === null ? { threshold: 0.5, thresholdSource: 'manifest' } : { threshold: r.value, thresholdSource: 'technician' }),
        server: outcomes[n++]!,
        detail: 'HTTP 500 from PATCH',
      }),
    });
    kioskStore.getState().setDetection(detection());
    view = await mount(<DetectionPanel />);
    await tap(view.byTestId('threshold-up'));
    await tap(view.byTestId('threshold-up'));
    await tap(view.byTestId('threshold-set'));
    await settle();
    expect(view.text('threshold-result')).toBe('Ambang kini 0.60 (diatur di mesin ini) · juga tersimpan di server');
    await tap(view.byTestId('threshold-down'));
    await tap(view.byTestId('threshold-set'));
    await settle();
    expect(view.text('threshold-result')).toBe('Ambang kini 0.55 (diatur di mesin ini) · hanya mesin ini: server tidak punya pengaturannya');
    await tap(view.byTestId('threshold-reset'));
    await settle();
    expect(view.text('threshold-result')).toBe('Ambang mesin ini dihapus; kini 0.50 (manifes model) · hanya mesin ini: server tidak menerimanya');
    expect(view.text('threshold-result')).not.toContain('HTTP 500');
    expect(core.callsOf('detection.setThreshold')).toEqual([{ value: 0.6 }, { value: 0.55 }, { value: null }]);
  });

  it('translates a refusal (out of range) instead of showing the core\'s words', async () => {
    fakeCore({
      'detection.setThreshold': () => {
        throw new Error('[threshold_out_of_range] 0.99 outside 0.05..0.95');
      },
    });
    kioskStore.getState().setDetection(detection());
    view = await mount(<DetectionPanel />);
    await tap(view.byTestId('threshold-set'));
    await settle();
    expect(view.text('threshold-result')).toBe('Tidak ada jawaban dari inti kios (Pilih ambang antara 0,05 dan 0,95)');
  });

  it('shows a model-sync failure as translated words, not the core\'s English detail', async () => {
    fakeCore();
    kioskStore.getState().setDetection(
      detection({ modelSync: { phase: 'failed', targetVersion: '2.0.0', receivedBytes: 0, totalBytes: null, failure: 'needs_user_token', detail: 'GET /models/2 answered 401 Unauthenticated' } }),
    );
    view = await mount(<DetectionPanel />);
    const text = view.text('panel-detection');
    expect(text).toContain('gagal → 2.0.0 — server memerlukan token pengguna untuk mengunduh model');
    expect(text).not.toContain('Unauthenticated');
    await act(async () => kioskStore.getState().setLanguage('en'));
    expect(view.text('panel-detection')).toContain('failed → 2.0.0 — the server needs a user token for model download');
  });
});

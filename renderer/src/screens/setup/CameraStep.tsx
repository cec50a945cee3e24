import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';

type Preview = ReplyOf<'setup.cameraPreview'> | 'loading' | null;

/** One frame from the camera, so the installer sees it is connected and aimed at the intake. */
export function CameraStep() {
  const t = useT();
  const [preview, setPreview] = useState<Preview>('loading');
  const load = async () => {
    setPreview('loading');
    setPreview(await callCore('setup.cameraPreview', {}));
  };
  useEffect(() => void load(), []);

  return (
    <div className="setup-step" data-testid="setup-camera">
      <div className="setup-preview" data-testid="setup-camera-frame">
        {preview === 'loading' ? (
          <span>{t('setup.camera.loading')}</span>
        ) : preview?.jpegBase64 ? (
          <img alt={t('setup.camera.alt')} data-testid="setup-camera-image" src={`data:image/jpeg;base64,${preview.jpegBase64}`} />
        ) : (
          <span className="setup-bad" role="alert" data-testid="setup-camera-error">
            {t(`setup.camera.error.${preview?.error ?? 'capture_failed'}`)}
          </span>
        )}
      </div>
      <button className="button" data-testid="setup-camera-again" disabled={preview === 'loading'} onClick={() => void load()}>
        {t('setup.camera.again')}
      </button>
    </div>
  );
}

import { useState } from 'react';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';

/** A handshake with the imported credentials; the result is said in words, with what to do about it. */
export function ConnectionStep() {
  const t = useT();
  const credentials = useKiosk((s) => s.setup?.credentials ?? null);
  const stateResult = useKiosk((s) => s.setup?.connection.result ?? 'untested');
  const [testing, setTesting] = useState(false);
  const [replyResult, setReplyResult] = useState<string | null>(null);
  // The reply answers at once; the core's state event says the same a moment later (or after a restart).
  const result = replyResult ?? stateResult;

  const test = async () => {
    setTesting(true);
    const reply = await callCore('setup.testConnection', {});
    setTesting(false);
    setReplyResult(reply?.result ?? null);
  };

  return (
    <div className="setup-step" data-testid="setup-connection">
      <div className="setup-line">{t('setup.connection.server', { url: credentials?.serverUrl ?? '—' })}</div>
      <div className="setup-line">{t('setup.connection.serial', { serial: credentials?.serialNumber ?? '—' })}</div>
      <div
        className={result === 'ok' ? 'setup-result setup-good' : result === 'untested' ? 'setup-result' : 'setup-result setup-bad'}
        data-testid="setup-connection-result"
        data-result={testing ? 'testing' : result}
        role="status"
      >
        {testing ? t('setup.connection.testing') : t(`setup.connection.result.${result}`)}
      </div>
      <button className="button primary" data-testid="setup-connection-test" disabled={testing} onClick={() => void test()}>
        {result === 'untested' ? t('setup.connection.test') : t('setup.connection.testAgain')}
      </button>
    </div>
  );
}

import { useState } from 'react';
import { callCore } from '../client/client-ref.js';
import { LanguageToggle } from '../components/LanguageToggle.js';
import { useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { CameraStep } from './setup/CameraStep.js';
import { ConnectionStep } from './setup/ConnectionStep.js';
import { CredentialsStep } from './setup/CredentialsStep.js';
import { PinStep } from './setup/PinStep.js';
import { SerialStep } from './setup/SerialStep.js';
import { canLeave, STEPS, type Step } from './setup/steps.js';
import './setup/setup.css';

/**
 * First run, shown instead of the attract screen while the core says setup is needed: one step at a time with
 * Back and Next, each step's own check deciding whether Next is open. Starts at the step the core reports, so
 * a restart in the middle does not send the installer back to the beginning.
 */
export function SetupScreen() {
  const t = useT();
  const state = useKiosk((s) => s.setup);
  const [step, setStep] = useState<Step>(() => state?.step ?? 'credentials');
  const index = STEPS.indexOf(step);

  return (
    <main className="screen setup" data-testid="setup-screen" data-step={step}>
      <header className="setup-top">
        <h1>{t('setup.title')}</h1>
        <ol className="setup-steps" aria-label={t('setup.stepOf', { n: index + 1, total: STEPS.length })}>
          {STEPS.map((s, i) => (
            <li key={s} className={i === index ? 'current' : i < index ? 'past' : ''}>
              {i + 1}
            </li>
          ))}
        </ol>
        <LanguageToggle />
      </header>
      <h2 className="setup-heading" data-testid="setup-heading">
        {t(`setup.step.${step}`)}
      </h2>
      <section className="setup-body">
        {step === 'credentials' ? <CredentialsStep /> : null}
        {step === 'connection' ? <ConnectionStep /> : null}
        {step === 'serial' ? <SerialStep /> : null}
        {step === 'camera' ? <CameraStep /> : null}
        {step === 'pin' ? <PinStep /> : null}
        {step === 'done' ? <DoneStep /> : null}
      </section>
      <footer className="setup-nav">
        <button className="button" data-testid="setup-back" disabled={index === 0} onClick={() => setStep(STEPS[index - 1]!)}>
          {t('common.back')}
        </button>
        {step !== 'done' ? (
          <button className="button primary" data-testid="setup-next" disabled={!canLeave(step, state)} onClick={() => setStep(STEPS[index + 1]!)}>
            {t('setup.next')}
          </button>
        ) : null}
      </footer>
    </main>
  );
}

/** What was set up, and the button that makes this a running machine (the core restarts as a real one). */
function DoneStep() {
  const t = useT();
  const state = useKiosk((s) => s.setup);
  const [finishing, setFinishing] = useState(false);
  const [failed, setFailed] = useState(false);
  const finish = async () => {
    setFinishing(true);
    const reply = await callCore('setup.finish', {});
    setFinishing(false);
    setFailed(!reply?.ok);
  };
  return (
    <div className="setup-step" data-testid="setup-done">
      <div className="setup-line">{t('setup.done.serial', { serial: state?.credentials.serialNumber ?? '—' })}</div>
      <div className="setup-line">{t('setup.done.port', { path: state?.serial.path ?? '—' })}</div>
      <div className="setup-line">{t('setup.done.summary')}</div>
      {failed ? (
        <div className="setup-result setup-bad" role="alert" data-testid="setup-finish-failed">
          {t('setup.done.failed')}
        </div>
      ) : null}
      <button className="button primary huge" data-testid="setup-finish" disabled={finishing} onClick={() => void finish()}>
        {finishing ? t('setup.done.finishing') : t('setup.done.finish')}
      </button>
    </div>
  );
}

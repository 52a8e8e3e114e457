// @jsxRuntime automatic
/** Premier démarrage: folders → USB drive → cloud → passphrase → recovery sheet → first backup. */
import { Checkbox } from '../../components/Field.js';
import { Steps } from '../../components/Steps.js';
import { useFocusHeading } from '../../components/use-focus-heading.js';
import { WizardNav } from '../../components/WizardNav.js';
import { useT } from '../../i18n/use-t.js';
import { setupStepProblem } from '../../lib/setup-validation.js';
import { useStore } from '../../store/index.js';
import { CloudStep } from './CloudStep.js';
import { FoldersStep } from './FoldersStep.js';
import { PassphraseStep } from './PassphraseStep.js';
import { RecoverySheet } from './RecoverySheet.js';
import { UsbStep } from './UsbStep.js';
import { LanguageSwitch } from '../settings/LanguageSwitch.js';

export function SetupWizard() {
  const tr = useT();
  const setup = useStore((s) => s.setup);
  const setupChanged = useStore((s) => s.setupChanged);
  const setupSubmitted = useStore((s) => s.setupSubmitted);
  const firstBackupRequested = useStore((s) => s.firstBackupRequested);
  const navigated = useStore((s) => s.navigated);
  const step = setup.step;
  const body = useFocusHeading<HTMLElement>(step);
  const problemKey = setupStepProblem(setup, step);
  const problem = problemKey ? tr.t(problemKey) : null;
  const go = (n: number) => setupChanged({ step: n });
  const labels = [tr.t('setup.step.folders'), tr.t('setup.step.usb'), tr.t('setup.step.cloud'), tr.t('setup.step.passphrase'), tr.t('setup.step.sheet')];
  const skip = (which: 'usbSkipped' | 'cloudSkipped') => (
    <button type="button" className="button-link" onClick={() => setupChanged(which === 'usbSkipped' ? { usbSkipped: true, step: 2 } : { cloudSkipped: true, step: setup.usbSkipped ? 2 : 3 })}>
      {tr.t('setup.skip')}
    </button>
  );

  return (
    <div className="wizard setup-wizard">
      <header className="wizard-head no-print">
        <div className="wizard-title-row">
          <h1>{tr.t('setup.title')}</h1>
          <LanguageSwitch />
        </div>
        {step === 0 && <p className="lead">{tr.t('setup.intro')}</p>}
        {step === 0 && (
          <button type="button" className="button-link restore-instead" onClick={() => navigated('restore')}>
            {tr.t('setup.restoreInstead')}
          </button>
        )}
        <Steps labels={labels} current={step} label={tr.t('setup.stepsLabel')} />
      </header>
      <section className="wizard-body" ref={body}>
        {step === 0 && <FoldersStep />}
        {step === 1 && <UsbStep />}
        {step === 2 && <CloudStep />}
        {step === 3 && <PassphraseStep />}
        {step === 4 && setup.recoveryKey && (
          <RecoverySheet
            recoveryKey={setup.recoveryKey}
            createdAt={setup.createdAt ?? new Date().toISOString()}
            copies={{
              usbLabel: setup.usbSkipped ? undefined : setup.usb?.label,
              cloudUrl: setup.cloudSkipped ? undefined : setup.cloud.url || undefined,
              cloudUser: setup.cloud.username,
            }}
          />
        )}
      </section>
      <footer className="no-print">
        {step === 0 && <WizardNav onNext={() => go(1)} problem={problem} />}
        {step === 1 && <WizardNav onBack={() => go(0)} onNext={() => go(2)} problem={problem} extra={!setup.usbSkipped && skip('usbSkipped')} />}
        {step === 2 && <WizardNav onBack={() => go(1)} onNext={() => go(3)} problem={problem} extra={!setup.cloudSkipped && skip('cloudSkipped')} />}
        {step === 3 && <WizardNav onBack={() => go(2)} onNext={() => void setupSubmitted()} problem={problem} nextLabel={tr.t('setup.pass.create')} busy={setup.busy} />}
        {step === 4 && (
          <>
            <div className="sheet-actions">
              <button type="button" className="button-secondary" onClick={() => window.print()}>
                {tr.t('sheet.print')}
              </button>
              <Checkbox label={tr.t('sheet.confirm')} checked={setup.sheetConfirmed} onChecked={(sheetConfirmed) => setupChanged({ sheetConfirmed })} />
            </div>
            <WizardNav onNext={() => void firstBackupRequested()} problem={problem} nextLabel={tr.t('sheet.startFirst')} busy={setup.busy} />
          </>
        )}
      </footer>
    </div>
  );
}

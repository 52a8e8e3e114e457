// @jsxRuntime automatic
/** Restaurer: where from → which date → what → where to → passphrase → progress and summary. */
import { Steps } from '../../components/Steps.js';
import { useFocusHeading } from '../../components/use-focus-heading.js';
import { WizardNav } from '../../components/WizardNav.js';
import { useT } from '../../i18n/use-t.js';
import { restoreStepProblem } from '../../lib/restore-validation.js';
import { useStore } from '../../store/index.js';
import { DateStep } from './DateStep.js';
import { FromStep } from './FromStep.js';
import { RunStep } from './RunStep.js';
import { SecretStep } from './SecretStep.js';
import { WhatStep } from './WhatStep.js';
import { WhereStep } from './WhereStep.js';

export function RestoreWizard() {
  const tr = useT();
  const r = useStore((s) => s.restore);
  const restoreChanged = useStore((s) => s.restoreChanged);
  const restoreSourceOpened = useStore((s) => s.restoreSourceOpened);
  const restoreStarted = useStore((s) => s.restoreStarted);
  const step = r.step;
  const body = useFocusHeading<HTMLElement>(step);
  const key = restoreStepProblem(r, step);
  const problem = key ? tr.t(key) : null;
  const go = (n: number) => restoreChanged({ step: n, error: null });
  const labels = (['from', 'date', 'what', 'where', 'secret', 'run'] as const).map((s) => tr.t(`restore.step.${s}`));
  const bodies = [<FromStep key="0" />, <DateStep key="1" />, <WhatStep key="2" />, <WhereStep key="3" />, <SecretStep key="4" />, <RunStep key="5" />];

  return (
    <div className="wizard restore-wizard">
      <header className="wizard-head">
        <h1>{tr.t('restore.title')}</h1>
        <Steps labels={labels} current={step} label={tr.t('restore.stepsLabel')} />
      </header>
      <section className="wizard-body" ref={body}>{bodies[step]}</section>
      <footer>
        {step === 0 && <WizardNav key={0} onNext={() => void restoreSourceOpened()} problem={problem} busy={r.busy} />}
        {step === 1 && <WizardNav key={1} onBack={() => go(0)} onNext={() => go(2)} problem={problem} />}
        {step === 2 && <WizardNav key={2} onBack={() => go(1)} onNext={() => go(3)} problem={problem} busy={r.busy} />}
        {step === 3 && <WizardNav key={3} onBack={() => go(2)} onNext={() => go(4)} problem={problem} />}
        {step === 4 && <WizardNav key={4} onBack={() => go(3)} onNext={() => void restoreStarted()} problem={problem} nextLabel={tr.t('restore.secret.start')} />}
      </footer>
    </div>
  );
}

// @jsxRuntime automatic
/** « Retour » / « Continuer » at the bottom of a wizard step; the blocking problem is announced when Continue is pressed. */
import { useState, type ReactNode } from 'react';
import { useT } from '../i18n/use-t.js';

interface Props {
  onBack?: () => void;
  onNext: () => void;
  /** The message that blocks Continue, or null. */
  problem: string | null;
  nextLabel?: string;
  busy?: boolean;
  extra?: ReactNode;
}

export function WizardNav({ onBack, onNext, problem, nextLabel, busy, extra }: Props) {
  const tr = useT();
  const [tried, setTried] = useState(false);
  return (
    <div className="wizard-nav">
      {tried && problem && (
        <p className="field-error wizard-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="wizard-buttons">
        {onBack && (
          <button type="button" className="button-secondary" onClick={onBack} disabled={busy}>
            {tr.t('common.back')}
          </button>
        )}
        {extra}
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() => {
            setTried(true);
            if (!problem) onNext();
          }}
        >
          {busy ? tr.t('common.working') : (nextLabel ?? tr.t('common.next'))}
        </button>
      </div>
    </div>
  );
}

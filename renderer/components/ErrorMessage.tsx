// @jsxRuntime automatic
/** A plain-language problem: what happened, what to do, and the technical message tucked in a disclosure. */
import type { ErrorInfo } from '../../electron/contract/errors.js';
import { useT } from '../i18n/use-t.js';
import type { Vars } from '../../locales/index.js';

export function ProblemText({ sentence, action, technical }: { sentence: string; action: string; technical?: string }) {
  const tr = useT();
  return (
    <div className="problem">
      <p className="problem-sentence">{sentence}</p>
      <p className="problem-action">
        <strong>{tr.t('common.whatToDo')}</strong> {action}
      </p>
      {technical && (
        <details className="problem-details">
          <summary>{tr.t('common.details')}</summary>
          <code>{technical}</code>
        </details>
      )}
    </div>
  );
}

export function ErrorMessage({ error, vars }: { error: ErrorInfo; vars?: Vars }) {
  const tr = useT();
  const text = tr.err(error, vars);
  return (
    <div className="notice notice-bad" role="alert">
      <ProblemText sentence={text.sentence} action={text.action} technical={error.message || undefined} />
    </div>
  );
}

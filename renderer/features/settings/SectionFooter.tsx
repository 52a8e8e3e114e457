// @jsxRuntime automatic
/** The save button of a settings section with its confirmation or error. */
import type { ErrorInfo } from '../../../electron/contract/errors.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useT } from '../../i18n/use-t.js';

export function SectionFooter({ busy, saved, error, label, savedText, disabled }: { busy: boolean; saved: boolean; error: ErrorInfo | null; label?: string; savedText?: string; disabled?: boolean }) {
  const tr = useT();
  return (
    <div className="section-footer">
      <button type="submit" className="button-primary" disabled={busy || disabled}>
        {busy ? tr.t('common.working') : (label ?? tr.t('common.save'))}
      </button>
      <span aria-live="polite" className="saved">{saved ? (savedText ?? tr.t('common.saved')) : ''}</span>
      {error && <ErrorMessage error={error} />}
    </div>
  );
}

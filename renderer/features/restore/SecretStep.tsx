// @jsxRuntime automatic
/** Restore step 5: the passphrase or the recovery key (already filled when typed earlier). */
import { SecretInput } from '../../components/SecretInput.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function SecretStep() {
  const tr = useT();
  const r = useStore((s) => s.restore);
  const restoreChanged = useStore((s) => s.restoreChanged);
  return (
    <div className="step-body">
      <h2>{tr.t('restore.secret.title')}</h2>
      <p className="lead">{tr.t('restore.secret.help')}</p>
      <SecretInput kind={r.secretKind} value={r.secret} onKind={(secretKind) => restoreChanged({ secretKind })} onValue={(secret) => restoreChanged({ secret })} />
    </div>
  );
}

// @jsxRuntime automatic
/** The big « Sauvegarder maintenant » button, or « Annuler » while a copy runs. */
import type { StatusDto } from '../../../electron/contract/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function BackupNow({ status }: { status: StatusDto }) {
  const tr = useT();
  const runError = useStore((s) => s.runError);
  const cancelling = useStore((s) => s.cancelling);
  const backupRequested = useStore((s) => s.backupRequested);
  const cancelRequested = useStore((s) => s.cancelRequested);
  const running = status.targets.some((t) => t.state === 'running');
  const usable = status.targets.some((t) => t.state !== 'unconfigured');
  return (
    <section className="backup-now">
      {running ? (
        <button type="button" className="button-big button-cancel" disabled={cancelling} onClick={() => void cancelRequested()}>
          {tr.t(cancelling ? 'run.cancelling' : 'run.cancel')}
        </button>
      ) : (
        <button type="button" className="button-big" disabled={!usable} onClick={() => void backupRequested()}>
          {tr.t('run.now')}
        </button>
      )}
      {runError && <ErrorMessage error={runError} />}
    </section>
  );
}

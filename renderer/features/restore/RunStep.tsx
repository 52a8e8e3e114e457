// @jsxRuntime automatic
/** Restore step 6: progress, then the summary (« 1 234 fichiers restaurés et vérifiés ») with « Ouvrir le dossier ». */
import { formatNumber } from '../../../locales/index.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { useT } from '../../i18n/use-t.js';
import { api } from '../../store/client-ref.js';
import { useStore } from '../../store/index.js';

export function RunStep() {
  const tr = useT();
  const r = useStore((s) => s.restore);
  const restoreChanged = useStore((s) => s.restoreChanged);
  const restoreReset = useStore((s) => s.restoreReset);
  const n = (v: number) => formatNumber(v, tr.lang);

  if (r.busy) {
    const p = r.progress;
    return (
      <div className="step-body">
        <h2>{tr.t('restore.run.title')}</h2>
        <ProgressBar value={p?.bytesDone ?? 0} max={p ? p.bytesTotal : null} label={tr.t('restore.run.title')} />
        {p && <p className="run-numbers">{tr.t('restore.run.progress', { done: n(p.filesDone), total: n(p.filesTotal) })}</p>}
        {p?.currentFile && <p className="run-file">{p.currentFile}</p>}
      </div>
    );
  }
  if (r.error || !r.result) {
    return (
      <div className="step-body">
        <h2>{tr.t('restore.failed.title')}</h2>
        {r.error && <ErrorMessage error={r.error} />}
        <button type="button" className="button-secondary" onClick={() => restoreChanged({ step: 4, error: null })}>
          {tr.t('common.back')}
        </button>
      </div>
    );
  }
  const res = r.result;
  return (
    <div className="step-body" data-testid="restore-summary">
      <h2>{tr.t('restore.done.title')}</h2>
      <p className="notice notice-ok summary-line" role="status">
        {tr.tn('restore.done.summary', res.filesRestored)}
      </p>
      {res.unchanged > 0 && <p>{tr.t('restore.done.unchanged', { count: n(res.unchanged) })}</p>}
      {res.keptAside.length > 0 && (
        <details open={res.keptAside.length <= 5}>
          <summary>{tr.t('restore.done.keptAside')} ({n(res.keptAside.length)})</summary>
          <ul className="path-list">
            {res.keptAside.slice(0, 200).map((k) => (
              <li key={k.path}>
                <code>{k.path}</code> → <code>{k.keptAs}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {res.errors.length > 0 && (
        <div className="notice notice-warn">
          <p>{tr.t('restore.done.errors')} ({n(res.errors.length)})</p>
          <ul className="path-list">
            {res.errors.slice(0, 200).map((e) => (
              <li key={e.path}>
                <code>{e.path}</code> <span className="muted">{e.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="wizard-buttons">
        <button type="button" className="button-secondary" onClick={restoreReset}>
          {tr.t('restore.done.again')}
        </button>
        <button type="button" className="button-primary" onClick={() => void api().openPath({ path: res.targetFolder })}>
          {tr.t('restore.done.open')}
        </button>
      </div>
    </div>
  );
}

// @jsxRuntime automatic
/** Restore step 3: everything, or chosen files and folders (loaded on demand; may need the secret to read the list). */
import { useEffect } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { SecretInput } from '../../components/SecretInput.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';
import { FileBrowser } from './FileBrowser.js';

export function WhatStep() {
  const tr = useT();
  const r = useStore((s) => s.restore);
  const restoreChanged = useStore((s) => s.restoreChanged);
  const restoreFilesRequested = useStore((s) => s.restoreFilesRequested);
  const needsSecret = r.error?.code === 'SECRET_REQUIRED' || r.error?.code === 'WRONG_PASSPHRASE';

  useEffect(() => {
    if (r.mode === 'some' && r.files === null && !r.busy && !r.error) void restoreFilesRequested();
  }, [r.mode, r.files, r.busy, r.error, restoreFilesRequested]);

  return (
    <div className="step-body">
      <h2>{tr.t('restore.what.title')}</h2>
      <fieldset className="choice-list">
        <legend className="visually-hidden">{tr.t('restore.what.title')}</legend>
        <label className={`choice ${r.mode === 'all' ? 'selected' : ''}`}>
          <input type="radio" name="restore-what" checked={r.mode === 'all'} onChange={() => restoreChanged({ mode: 'all', error: null })} />
          <span className="choice-text">
            <strong>{tr.t('restore.what.all')}</strong>
            <span className="muted">{tr.t('restore.what.allHelp')}</span>
          </span>
        </label>
        <label className={`choice ${r.mode === 'some' ? 'selected' : ''}`}>
          <input type="radio" name="restore-what" checked={r.mode === 'some'} onChange={() => restoreChanged({ mode: 'some' })} />
          <span className="choice-text">
            <strong>{tr.t('restore.what.some')}</strong>
          </span>
        </label>
      </fieldset>
      {r.mode === 'some' && r.busy && <p className="loading">{tr.t('common.working')}</p>}
      {r.mode === 'some' && r.error && (
        <>
          <ErrorMessage error={r.error} />
          {needsSecret && (
            <form
              className="sub-form"
              onSubmit={(e) => {
                e.preventDefault();
                restoreChanged({ error: null });
              }}
            >
              <SecretInput kind={r.secretKind} value={r.secret} onKind={(secretKind) => restoreChanged({ secretKind })} onValue={(secret) => restoreChanged({ secret })} />
              <button type="submit" disabled={!r.secret.trim()}>{tr.t('restore.from.open')}</button>
            </form>
          )}
          {!needsSecret && (
            <button type="button" className="button-secondary" onClick={() => restoreChanged({ error: null })}>
              {tr.t('common.retry')}
            </button>
          )}
        </>
      )}
      {r.mode === 'some' && r.files && <FileBrowser files={r.files} include={r.include} onInclude={(include) => restoreChanged({ include })} />}
    </div>
  );
}

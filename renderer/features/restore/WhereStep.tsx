// @jsxRuntime automatic
/** Restore step 4: where to — the original place (current files kept aside, never lost) or a chosen folder. */
import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function WhereStep() {
  const tr = useT();
  const r = useStore((s) => s.restore);
  const restoreChanged = useStore((s) => s.restoreChanged);
  return (
    <div className="step-body">
      <h2>{tr.t('restore.where.title')}</h2>
      <fieldset className="choice-list">
        <legend className="visually-hidden">{tr.t('restore.where.title')}</legend>
        <label className={`choice ${r.targetKind === 'original' ? 'selected' : ''}`}>
          <input type="radio" name="restore-where" checked={r.targetKind === 'original'} onChange={() => restoreChanged({ targetKind: 'original' })} />
          <span className="choice-text">
            <strong>{tr.t('restore.where.original')}</strong>
            <span className="muted">{tr.t('restore.where.originalHelp')}</span>
          </span>
        </label>
        <label className={`choice ${r.targetKind === 'folder' ? 'selected' : ''}`}>
          <input type="radio" name="restore-where" checked={r.targetKind === 'folder'} onChange={() => restoreChanged({ targetKind: 'folder' })} />
          <span className="choice-text">
            <strong>{tr.t('restore.where.folder')}</strong>
            <span className="muted">{tr.t('restore.where.folderHelp')}</span>
          </span>
        </label>
      </fieldset>
      {r.targetKind === 'folder' && (
        <Field label={tr.t('restore.where.folderPath')} value={r.targetFolder} onValue={(targetFolder) => restoreChanged({ targetFolder })} spellCheck={false} />
      )}
    </div>
  );
}

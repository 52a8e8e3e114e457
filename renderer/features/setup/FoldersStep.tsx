// @jsxRuntime automatic
/** Setup step 1: the folders to protect (suggestions found on this computer, or a typed path). */
import { useState } from 'react';
import { Checkbox, Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { isAbsolutePath } from '../../lib/paths.js';
import { useStore } from '../../store/index.js';

export function FoldersStep() {
  const tr = useT();
  const setup = useStore((s) => s.setup);
  const setupChanged = useStore((s) => s.setupChanged);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const toggle = (path: string, on: boolean) =>
    setupChanged({ sources: on ? [...setup.sources, path] : setup.sources.filter((p) => p !== path) });
  const suggested = new Set(setup.suggestions.map((s) => s.path));
  const custom = setup.sources.filter((p) => !suggested.has(p));

  const add = () => {
    const path = typed.trim();
    if (!path) return;
    if (!isAbsolutePath(path)) {
      setTypedError(tr.t('common.pathNotAbsolute'));
      return;
    }
    if (setup.sources.includes(path)) {
      setTypedError(tr.t('setup.folders.duplicate'));
      return;
    }
    setupChanged({ sources: [...setup.sources, path] });
    setTyped('');
    setTypedError(null);
  };

  return (
    <div className="step-body">
      <h2>{tr.t('setup.folders.title')}</h2>
      <p className="lead">{tr.t(setup.suggestions.length > 0 ? 'setup.folders.help' : 'setup.folders.helpTypeOnly')}</p>
      {setup.suggestions.length > 0 && (
        <fieldset className="choice-list">
          <legend>{tr.t('setup.folders.suggested')}</legend>
          {setup.suggestions.map((s) => (
            <Checkbox
              key={s.path}
              label={`${s.kind === 'accounting' ? s.name : tr.t(`setup.folders.kind.${s.kind}`)} — ${s.path}`}
              checked={setup.sources.includes(s.path)}
              onChecked={(on) => toggle(s.path, on)}
              hint={s.kind === 'accounting' ? tr.t('setup.folders.kind.accounting') : undefined}
            />
          ))}
        </fieldset>
      )}
      {custom.length > 0 && (
        <ul className="path-list" aria-label={tr.t('setup.folders.chosen')}>
          {custom.map((p) => (
            <li key={p}>
              <code>{p}</code>
              <button type="button" className="button-link" onClick={() => toggle(p, false)} aria-label={`${tr.t('common.remove')} ${p}`}>
                {tr.t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <Field label={tr.t('setup.folders.addLabel')} placeholder={tr.t('setup.folders.addPlaceholder')} value={typed} onValue={setTyped} error={typedError} spellCheck={false} />
        <button type="submit" className="button-secondary" disabled={!typed.trim()}>
          {tr.t('common.add')}
        </button>
      </form>
    </div>
  );
}

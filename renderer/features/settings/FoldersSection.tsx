// @jsxRuntime automatic
/** The folders to protect and the patterns to ignore. */
import { useState } from 'react';
import type { SettingsDto } from '../../../electron/contract/api.js';
import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { isAbsolutePath } from '../../lib/paths.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

export function FoldersSection({ settings }: { settings: SettingsDto }) {
  const tr = useT();
  const saver = useSaver();
  const [sources, setSources] = useState(settings.sources);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const [excludes, setExcludes] = useState(settings.excludes.join('\n'));
  const add = () => {
    const p = typed.trim();
    if (!p) return;
    if (!isAbsolutePath(p)) {
      setTypedError(tr.t('common.pathNotAbsolute'));
      return;
    }
    if (!sources.includes(p)) setSources([...sources, p]);
    setTyped('');
    setTypedError(null);
  };
  return (
    <form
      className="settings-section"
      aria-labelledby="settings-folders"
      onSubmit={(e) => {
        e.preventDefault();
        void saver.save({ sources, excludes: excludes.split('\n').map((l) => l.trim()).filter(Boolean) });
      }}
    >
      <h2 id="settings-folders">{tr.t('settings.folders')}</h2>
      <ul className="path-list">
        {sources.map((p) => (
          <li key={p}>
            <code>{p}</code>
            <button type="button" className="button-link" aria-label={`${tr.t('common.remove')} ${p}`} onClick={() => setSources(sources.filter((x) => x !== p))}>
              {tr.t('common.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div className="inline-form">
        <Field label={tr.t('setup.folders.addLabel')} value={typed} onValue={setTyped} error={typedError} spellCheck={false}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
        <button type="button" className="button-secondary" onClick={add} disabled={!typed.trim()}>{tr.t('common.add')}</button>
      </div>
      <div className="field">
        <label htmlFor="settings-excludes">{tr.t('settings.excludes')}</label>
        <textarea id="settings-excludes" rows={3} value={excludes} onChange={(e) => setExcludes(e.target.value)} spellCheck={false} />
      </div>
      <SectionFooter {...saver} disabled={sources.length === 0} />
    </form>
  );
}

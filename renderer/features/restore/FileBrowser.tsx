// @jsxRuntime automatic
/** Browse or search a restore point's files and folders (sizes, dates) and tick what to restore. */
import { useMemo, useState } from 'react';
import type { RestoreFileDto } from '../../../electron/contract/api.js';
import { formatBytes, formatDayTime, formatNumber } from '../../../locales/index.js';
import { useT } from '../../i18n/use-t.js';
import { indexFiles, nameOf, parentOf, searchFiles } from '../../lib/file-tree.js';
import { useClock } from '../history/clock.js';

const SHOWN = 300;

export function FileBrowser({ files, include, onInclude }: { files: RestoreFileDto[]; include: string[]; onInclude: (paths: string[]) => void }) {
  const tr = useT();
  const { now, timeZone } = useClock();
  const [dir, setDir] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const index = useMemo(() => indexFiles(files), [files]);
  const list = useMemo(() => (query.trim() ? searchFiles(files, query) : index.children(dir)), [files, index, query, dir]);
  const chosen = new Set(include);
  const toggle = (path: string, on: boolean) => onInclude(on ? [...include, path] : include.filter((p) => p !== path));
  const known = useMemo(() => new Set(files.map((f) => f.path)), [files]);
  const up = dir === null ? null : parentOf(dir);

  return (
    <div className="file-browser">
      <div className="field">
        <label htmlFor="restore-search">{tr.t('restore.what.search')}</label>
        <input id="restore-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {!query.trim() && dir !== null && (
        <p className="breadcrumb">
          <button type="button" className="button-link" onClick={() => setDir(up !== null && known.has(up) ? up : null)}>
            ↑ {tr.t('restore.what.up')}
          </button>{' '}
          <code>{dir}</code>
        </p>
      )}
      <table className="files">
        <thead>
          <tr>
            <th scope="col">{tr.t('restore.what.colName')}</th>
            <th scope="col" className="num">{tr.t('restore.what.colSize')}</th>
            <th scope="col">{tr.t('restore.what.colDate')}</th>
          </tr>
        </thead>
        <tbody>
          {list.slice(0, SHOWN).map((f) => (
            <tr key={f.path} className={chosen.has(f.path) ? 'selected' : ''}>
              <td>
                <div className="file-name">
                <input type="checkbox" id={`pick-${f.path}`} checked={chosen.has(f.path)} onChange={(e) => toggle(f.path, e.target.checked)} />
                <label htmlFor={`pick-${f.path}`} className="visually-hidden">{f.path}</label>{' '}
                {f.type === 'dir' && !query.trim() ? (
                  <button type="button" className="button-link folder" onClick={() => setDir(f.path)}>
                    <span className="file-icon dir" aria-hidden="true" />{nameOf(f.path)}
                  </button>
                ) : (
                  <span title={f.path}>
                    <span className={`file-icon ${f.type === 'dir' ? 'dir' : 'file'}`} aria-hidden="true" />
                    {query.trim() ? f.path : nameOf(f.path)}
                  </span>
                )}
                </div>
              </td>
              <td className="num">{formatBytes(index.size(f), tr.lang)}</td>
              <td>{formatDayTime(f.mtime, now, tr.lang, timeZone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && <p className="empty">{tr.t('restore.what.noMatch')}</p>}
      {list.length > SHOWN && <p className="muted">{tr.t('restore.what.more', { count: formatNumber(list.length - SHOWN, tr.lang) })}</p>}
      <p className="muted" aria-live="polite">{tr.tn('restore.what.selected', include.length)}</p>
    </div>
  );
}

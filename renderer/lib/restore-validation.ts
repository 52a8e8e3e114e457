/** What blocks each step of the restore wizard (a string key), or null when the step is complete. */
import type { UiKey } from '../../locales/index.js';
import type { RestoreState } from '../store/types.js';
import { isAbsolutePath } from './paths.js';
import { isAcceptableWebdavUrl } from './webdav-url.js';

export function restoreStepProblem(r: RestoreState, step: number): UiKey | null {
  switch (step) {
    case 0:
      if (r.from !== 'other') return null;
      if (r.otherKind === 'folder' && !r.folderPath.trim()) return 'restore.where.folderRequired';
      if (r.otherKind === 'folder' && !isAbsolutePath(r.folderPath)) return 'common.pathNotAbsolute';
      if (r.otherKind === 'webdav' && !isAcceptableWebdavUrl(r.webdav.url)) return 'setup.cloud.urlInvalid';
      return r.secret.trim() ? null : 'restore.secret.required';
    case 1:
      return r.snapshotId ? null : 'restore.date.help';
    case 2:
      return r.mode === 'some' && r.include.length === 0 ? 'restore.what.pickOne' : null;
    case 3:
      if (r.targetKind !== 'folder') return null;
      if (!r.targetFolder.trim()) return 'restore.where.folderRequired';
      return isAbsolutePath(r.targetFolder) ? null : 'common.pathNotAbsolute';
    case 4:
      return r.secret.trim() ? null : 'restore.secret.required';
    default:
      return null;
  }
}

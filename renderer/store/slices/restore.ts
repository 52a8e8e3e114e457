/** The restore wizard: where from → which date → what → where to → passphrase → progress and summary. */
import type { StateCreator } from 'zustand';
import type { RestoreFromDto, SecretDto } from '../../../electron/contract/api.js';
import { api } from '../client-ref.js';
import type { RempartStore, RestoreSlice, RestoreState } from '../types.js';

export const initialRestore: RestoreState = {
  step: 0,
  from: 'usb',
  otherKind: 'folder',
  folderPath: '',
  webdav: { url: '', username: '', password: '' },
  secretKind: 'passphrase',
  secret: '',
  sessionId: null,
  points: null,
  snapshotId: null,
  mode: 'all',
  files: null,
  include: [],
  targetKind: 'original',
  targetFolder: '',
  busy: false,
  error: null,
  progress: null,
  result: null,
};

export function secretOf(r: Pick<RestoreState, 'secret' | 'secretKind'>): SecretDto | undefined {
  const value = r.secret.trim();
  if (!value) return undefined;
  return r.secretKind === 'passphrase' ? { passphrase: r.secret } : { recoveryKey: value };
}

function sourceOf(r: RestoreState): RestoreFromDto {
  if (r.from === 'usb' || r.from === 'cloud') return { kind: r.from };
  if (r.otherKind === 'folder') return { kind: 'folder', path: r.folderPath.trim() };
  return { kind: 'webdav', url: r.webdav.url.trim(), username: r.webdav.username, password: r.webdav.password };
}

export const createRestoreSlice: StateCreator<RempartStore, [], [], RestoreSlice> = (set, get) => {
  const patch = (p: Partial<RestoreState>) => set({ restore: { ...get().restore, ...p } });
  return {
    restore: initialRestore,
    restoreChanged: (p) => patch(p),
    restoreReset: () => set({ restore: initialRestore }),
    restoreSourceOpened: async () => {
      const r = get().restore;
      patch({ busy: true, error: null, points: null, snapshotId: null, files: null, include: [] });
      const opened = await api().openRestoreSource({ from: sourceOf(r), ...(r.from === 'other' ? { secret: secretOf(r) } : {}) });
      if (!opened.ok) {
        patch({ busy: false, error: opened.error });
        return;
      }
      const points = await api().listRestorePoints({ sessionId: opened.value.sessionId });
      if (!points.ok) {
        patch({ busy: false, error: points.error, sessionId: opened.value.sessionId });
        return;
      }
      const sorted = [...points.value].sort((a, b) => b.time.localeCompare(a.time));
      patch({ busy: false, sessionId: opened.value.sessionId, points: sorted, step: 1 });
    },
    restorePointChosen: (snapshotId) => patch({ snapshotId, files: null, include: [], error: null }),
    restoreFilesRequested: async () => {
      const r = get().restore;
      if (!r.sessionId || !r.snapshotId) return;
      patch({ busy: true, error: null });
      const secret = secretOf(r);
      const res = await api().listRestoreFiles({ sessionId: r.sessionId, snapshotId: r.snapshotId, ...(secret ? { secret } : {}) });
      patch(res.ok ? { busy: false, files: res.value } : { busy: false, error: res.error });
    },
    restoreStarted: async () => {
      const r = get().restore;
      const secret = secretOf(r);
      if (!r.sessionId || !r.snapshotId || !secret) return;
      patch({ busy: true, error: null, progress: null, result: null, step: 5 });
      const res = await api().startRestore({
        sessionId: r.sessionId,
        snapshotId: r.snapshotId,
        include: r.mode === 'all' ? [] : r.include,
        target: r.targetKind === 'original' ? { kind: 'original' } : { kind: 'folder', path: r.targetFolder.trim() },
        secret,
      });
      // The secret is forgotten as soon as the restore is over.
      patch(res.ok ? { busy: false, result: res.value, secret: '' } : { busy: false, error: res.error, secret: '' });
    },
    restoreProgressReceived: (event) => {
      const r = get().restore;
      if (r.sessionId === event.sessionId && r.busy) patch({ progress: event });
    },
  };
};

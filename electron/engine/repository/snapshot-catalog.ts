/**
 * The list of snapshots as a writer sees it (from the sealed .info files), and resolution of "latest" / id prefixes.
 */
import { RempartError } from '../base/errors.js';
import type { BlobStore } from './blob-store.js';
import { mapLimit } from './blob-index.js';
import { infoPath, infoToSnapshot, listSnapshotStems, openInfo } from './snapshot-files.js';
import type { RepoSnapshotInfo, SnapshotInfoFile } from './types.js';

export interface SnapshotCatalog {
  /** Committed snapshots, oldest first. */
  snapshots: RepoSnapshotInfo[];
  /** Full .info contents by snapshot id (listing included). */
  infos: Map<string, SnapshotInfoFile>;
  /** Committed snapshots whose .info cannot be read. */
  unreadable: { path: string; message: string }[];
  orphanInfos: string[];
  ageOnly: string[];
}

export async function loadCatalog(store: BlobStore, sealKey: Buffer): Promise<SnapshotCatalog> {
  const { committed, orphanInfos, ageOnly } = await listSnapshotStems(store);
  const unreadable: { path: string; message: string }[] = [];
  const infos = new Map<string, SnapshotInfoFile>();
  const loaded = await mapLimit(committed, 8, async (stem) => {
    const path = infoPath(stem);
    try {
      const info = openInfo(sealKey, await store.read(path), path);
      infos.set(info.id, info);
      return infoToSnapshot(stem, info);
    } catch (err) {
      unreadable.push({ path, message: (err as Error).message });
      return null;
    }
  });
  const snapshots = loaded.filter((s): s is RepoSnapshotInfo => s !== null);
  snapshots.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : 1));
  return { snapshots, infos, unreadable, orphanInfos, ageOnly };
}

/** Finds a snapshot by full id, unique id prefix, or "latest". SNAPSHOT_NOT_FOUND otherwise. */
export function resolveSnapshot(snapshots: RepoSnapshotInfo[], ref: string): RepoSnapshotInfo {
  if (ref === 'latest') {
    const last = snapshots[snapshots.length - 1];
    if (!last) throw new RempartError('SNAPSHOT_NOT_FOUND', 'the repository has no snapshot yet', { details: { snapshot: ref } });
    return last;
  }
  const want = ref.toLowerCase();
  const exact = snapshots.find((s) => s.id === want);
  if (exact) return exact;
  const matches = want.length >= 4 ? snapshots.filter((s) => s.id.startsWith(want)) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new RempartError('SNAPSHOT_NOT_FOUND', `snapshot prefix ${ref} is ambiguous (${matches.length} matches)`, { details: { snapshot: ref } });
  }
  throw new RempartError('SNAPSHOT_NOT_FOUND', `no snapshot ${ref}`, { details: { snapshot: ref } });
}

import type { FileEntry } from '../api.js';
import type { Repo } from '../repository/repository.js';
import type { ManifestEntry } from '../repository/types.js';

/**
 * Differences between two snapshots. With the identity, files compare by content hash (a touched but identical
 * file is not "modified"); with writer credentials only, by type, size and modification time.
 */
export interface SnapshotDiff {
  added: string[];
  removed: string[];
  modified: string[];
}

type Comparable = Pick<FileEntry, 'path' | 'type' | 'size' | 'mtime'> & { sha256?: string; target?: string };

export function diffEntries(a: readonly Comparable[], b: readonly Comparable[], byContent: boolean): SnapshotDiff {
  const before = new Map(a.map((e) => [e.path, e]));
  const after = new Map(b.map((e) => [e.path, e]));
  const out: SnapshotDiff = { added: [], removed: [], modified: [] };
  for (const [path, e] of after) {
    const old = before.get(path);
    if (!old) out.added.push(path);
    else if (old.type !== e.type || old.target !== e.target) out.modified.push(path);
    else if (e.type === 'file') {
      const changed = byContent && old.sha256 && e.sha256 ? old.sha256 !== e.sha256 : old.size !== e.size || old.mtime !== e.mtime;
      if (changed) out.modified.push(path);
    }
  }
  for (const path of before.keys()) if (!after.has(path)) out.removed.push(path);
  out.added.sort();
  out.removed.sort();
  out.modified.sort();
  return out;
}

function fromManifest(e: ManifestEntry): Comparable {
  return { path: e.path, type: e.type, size: e.size, mtime: e.mtime, sha256: e.sha256, target: e.target };
}

function fromListing(e: FileEntry): Comparable {
  return { path: e.path, type: e.type, size: e.size, mtime: e.mtime, sha256: e.sha256, target: e.linkTarget };
}

export async function diffSnapshots(repo: Repo, a: string, b: string): Promise<SnapshotDiff> {
  if (repo.canRead) {
    const [ma, mb] = await Promise.all([repo.loadManifest(a), repo.loadManifest(b)]);
    return diffEntries(ma.entries.map(fromManifest), mb.entries.map(fromManifest), true);
  }
  const [la, lb] = await Promise.all([repo.loadListing(a), repo.loadListing(b)]);
  return diffEntries(la.map(fromListing), lb.map(fromListing), false);
}

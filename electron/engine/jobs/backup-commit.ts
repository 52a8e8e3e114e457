import type { SnapshotInfo, SnapshotSummary } from '../api.js';
import type { Clock } from '../base/clock.js';
import { RempartError } from '../base/errors.js';
import type { ManifestEntry, RepoSnapshotInfo } from '../repository/types.js';
import type { BackupTarget, RecordedFile } from './backup-targets.js';
import { FileCache } from './file-cache.js';
import type { SourceRoot } from './scan.js';

/**
 * Commit of one repository at the end of a backup: flush its packs, write the snapshot (the commit point), then,
 * only once it is committed, the new file cache.
 */
export interface CommitContext {
  entries: (RecordedFile | Omit<ManifestEntry, 'blobs'>)[];
  roots: SourceRoot[];
  host: string;
  tags: string[];
  summaryBase: Pick<SnapshotSummary, 'files' | 'dirs' | 'bytesRead' | 'skipped'>;
  started: number;
  clock: Clock;
  signal?: AbortSignal;
}

export function publicInfo(s: RepoSnapshotInfo): SnapshotInfo {
  return { id: s.id, time: s.time, host: s.host, sources: s.sources, tags: s.tags, summary: s.summary };
}

function isRecorded(e: RecordedFile | Omit<ManifestEntry, 'blobs'>): e is RecordedFile {
  return 'blobsByGroup' in e;
}

export async function commitTarget(t: BackupTarget, ctx: CommitContext): Promise<void> {
  let totalBytes = 0;
  const manifest: ManifestEntry[] = [];
  for (const e of ctx.entries) {
    if (!isRecorded(e)) {
      manifest.push(e);
      continue;
    }
    const blobs = e.blobsByGroup.get(t.group);
    if (!blobs) throw new RempartError('UNKNOWN', `internal: no blob list for ${e.entry.path}`);
    manifest.push({ ...e.entry, blobs });
    totalBytes += e.entry.size;
    if (e.stat && e.entry.sha256) t.nextCache.set(e.abs, { ...e.stat, blobs, sha256: e.entry.sha256 });
  }
  const all = await t.repo.flush();
  const newPacks = all.filter((p) => !t.packsBefore.has(p));
  if (ctx.signal?.aborted) throw new RempartError('CANCELLED', 'the backup was cancelled');
  const summary: SnapshotSummary = {
    ...ctx.summaryBase,
    totalBytes,
    bytesStored: t.repo.bytesWritten - t.bytesWrittenBefore,
    newBlobs: t.newBlobs,
    durationMs: ctx.clock.now() - ctx.started,
  };
  const info = await t.repo.saveSnapshot({
    time: new Date(ctx.clock.now()).toISOString(),
    host: ctx.host,
    sources: ctx.roots.map((r) => ({ label: r.label, path: r.root })),
    tags: ctx.tags,
    summary,
    entries: manifest,
  });
  t.committed = { snapshot: publicInfo(info), newPacks };
  try {
    await FileCache.save(t.cacheDir, t.repo.id, info.id, t.nextCache);
  } catch {
    // the cache is an optimisation: the next run re-reads instead
  }
}

import type { SnapshotInfo, SnapshotSummary } from '../api.js';
import type { Clock } from '../base/clock.js';
import { RempartError } from '../base/errors.js';
import type { RepoSnapshotInfo } from '../repository/types.js';
import type { BackupSpool } from './backup-spool.js';
import type { BackupTarget } from './backup-targets.js';
import { FileCache } from './file-cache.js';
import type { SourceRoot } from './scan.js';

/**
 * Commit of one repository at the end of a backup: flush its packs, write the snapshot (the commit point), then,
 * only once it is committed, the new file cache.
 */
export interface CommitContext {
  spool: BackupSpool;
  roots: SourceRoot[];
  host: string;
  tags: string[];
  summaryBase: Pick<SnapshotSummary, 'files' | 'dirs' | 'bytesRead' | 'skipped' | 'totalBytes'>;
  started: number;
  clock: Clock;
  signal?: AbortSignal;
}

export function publicInfo(s: RepoSnapshotInfo): SnapshotInfo {
  return { id: s.id, time: s.time, host: s.host, sources: s.sources, tags: s.tags, summary: s.summary };
}

export async function commitTarget(t: BackupTarget, ctx: CommitContext): Promise<void> {
  const all = await t.repo.flush();
  const newPacks = all.filter((p) => !t.packsBefore.has(p));
  if (ctx.signal?.aborted) throw new RempartError('CANCELLED', 'the backup was cancelled');
  const summary: SnapshotSummary = {
    ...ctx.summaryBase,
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
    entries: ctx.spool.entriesFor(t),
  });
  t.committed = { snapshot: publicInfo(info), newPacks };
  try {
    await FileCache.save(t.cacheDir, t.repo.id, info.id, ctx.spool.cacheFor(t));
  } catch {
    // the cache is an optimisation: the next run re-reads instead
  }
}

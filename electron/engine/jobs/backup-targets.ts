import type { Repo } from '../repository/repository.js';
import type { LockKind } from '../repository/types.js';
import { RempartError } from '../base/errors.js';
import type { SnapshotInfo } from '../api.js';
import { FileCache, type CachedFile } from './file-cache.js';

/**
 * One repository taking part in a backup: its lock, its file cache, what it received, and whether it was detached
 * after a failure (unplugged drive, server down) so the others carry on.
 */
export interface HeldLock {
  release(): Promise<void>;
}

/** Takes `kind` lock on `repo` and keeps it until release() (withLock turned inside out). */
export function holdLock(repo: Repo, kind: LockKind): Promise<HeldLock> {
  return new Promise<HeldLock>((acquired, failed) => {
    let letGo!: () => void;
    const released = new Promise<void>((r) => (letGo = r));
    let done: Promise<void> | undefined;
    const run = repo.withLock(async () => {
      acquired({
        release: async () => {
          letGo();
          await done?.catch(() => {});
        },
      });
      await released;
    }, kind);
    done = run;
    run.catch(failed);
  });
}

export class BackupTarget {
  failed: unknown = null;
  lock: HeldLock | null = null;
  cache: FileCache | null = null;
  /** Blob ids handed to compression but not yet added (dedup within the run). */
  readonly inflight = new Set<string>();
  newBlobs = 0;
  bytesStored = 0;
  packsBefore = new Set<string>();
  /** repo.bytesWritten when the run started (packs and indexes written before belong to other runs). */
  bytesWrittenBefore = 0;
  committed: { snapshot: SnapshotInfo; newPacks: string[] } | null = null;

  constructor(
    readonly repo: Repo,
    readonly cacheDir: string,
    /** Targets with the same writer key compute the same blob ids: they share one group. */
    readonly group: string,
  ) {}

  get live(): boolean {
    return this.failed === null;
  }

  fail(err: unknown): void {
    if (this.failed === null) this.failed = err ?? new RempartError('UNKNOWN', 'unknown failure');
  }

  /** True when this target must receive blob `id`. */
  needs(id: string): boolean {
    return this.live && !this.inflight.has(id) && !this.repo.hasBlob(id);
  }

  async start(): Promise<void> {
    try {
      this.lock = await holdLock(this.repo, 'exclusive');
      this.packsBefore = new Set(await this.repo.flush());
      this.bytesWrittenBefore = this.repo.bytesWritten;
      this.cache = await FileCache.load(this.cacheDir, this.repo.id);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Cached record of an unchanged file whose blobs are all still in the repository. */
  cached(abs: string, st: { size: number; mtimeMs: number; ino: number; dev: number }): CachedFile | null {
    const c = this.cache?.lookup(abs, st);
    if (!c) return null;
    return c.blobs.every((b) => this.repo.hasBlob(b)) ? c : null;
  }

  async release(): Promise<void> {
    const l = this.lock;
    this.lock = null;
    await l?.release();
  }
}

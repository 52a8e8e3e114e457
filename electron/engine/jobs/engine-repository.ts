import type {
  CheckOptions,
  CheckReport,
  DrillResult,
  FileEntry,
  ForgetResult,
  Repository,
  RestoreOptions,
  RestoreSummary,
  RetentionPolicy,
  SnapshotInfo,
  WriterCredentials,
} from '../api.js';
import { systemClock, type Clock } from '../base/clock.js';
import { RempartError } from '../base/errors.js';
import type { Repo } from '../repository/repository.js';
import { publicInfo } from './backup-commit.js';
import { diffSnapshots } from './diff.js';
import { drillSnapshot } from './drill.js';
import { restoreSnapshot } from './restore.js';

/** The public Repository (api.ts) over the repository layer's Repo and the jobs. */
export class EngineRepository implements Repository {
  constructor(
    readonly repo: Repo,
    readonly cacheDir: string,
    private readonly clock: Clock = systemClock,
  ) {}

  get id(): string {
    return this.repo.id;
  }

  get location(): string {
    return this.repo.location;
  }

  get canRead(): boolean {
    return this.repo.canRead;
  }

  credentials(): WriterCredentials {
    return this.repo.credentials();
  }

  async listSnapshots(): Promise<SnapshotInfo[]> {
    return (await this.repo.listSnapshots()).map(publicInfo);
  }

  async listFiles(snapshotId: string): Promise<FileEntry[]> {
    if (!this.repo.canRead) return this.repo.loadListing(snapshotId);
    const m = await this.repo.loadManifest(snapshotId);
    return m.entries.map((e) => ({
      path: e.path,
      type: e.type,
      size: e.size,
      mtime: e.mtime,
      mode: e.mode,
      ...(e.sha256 ? { sha256: e.sha256 } : {}),
      ...(e.target !== undefined ? { linkTarget: e.target } : {}),
    }));
  }

  diff(a: string, b: string): Promise<{ added: string[]; removed: string[]; modified: string[] }> {
    return diffSnapshots(this.repo, a, b);
  }

  restore(opts: RestoreOptions): Promise<RestoreSummary> {
    return this.repo.withLock(() => restoreSnapshot(this.repo, opts, this.clock), 'shared');
  }

  check(opts?: CheckOptions): Promise<CheckReport> {
    return this.repo.check(opts);
  }

  forget(policy: RetentionPolicy, opts?: { prune?: boolean; dryRun?: boolean }): Promise<ForgetResult> {
    return this.repo.forget(policy, opts);
  }

  drill(opts?: { sampleFiles?: number; snapshotId?: string; signal?: AbortSignal }): Promise<DrillResult> {
    return this.repo.withLock(() => drillSnapshot(this.repo, opts), 'shared');
  }

  changePassphrase(newPassphrase: string): Promise<void> {
    return this.repo.changePassphrase(newPassphrase);
  }

  close(): Promise<void> {
    return this.repo.close();
  }
}

export function engineRepoOf(r: Repository): EngineRepository {
  if (!(r instanceof EngineRepository)) {
    throw new RempartError('INVALID_INPUT', 'not a repository opened by this engine (use openRepository)');
  }
  return r;
}

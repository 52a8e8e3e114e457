/**
 * A Rempart repository (format v1, docs/FORMAT.md) on a BlobStore: keys, packs, index, snapshots, locks,
 * check, retention and prune. The jobs layer builds backup/restore and the public facade on this class.
 */
import type { BlobStore } from './blob-store.js';
import type {
  CheckOptions,
  CheckReport,
  FileEntry,
  ForgetResult,
  InitResult,
  RepoSecret,
  RetentionPolicy,
  WriterCredentials,
} from '../api.js';
import type {
  CreateOptions,
  LockKind,
  NewSnapshot,
  OpenRepoOptions,
  PruneOptions,
  PruneResult,
  RepoConfig,
  RepoSnapshotInfo,
  SnapshotManifest,
  StoredBlob,
} from './types.js';

export async function createRepository(store: BlobStore, opts: CreateOptions): Promise<InitResult> {
  void store;
  void opts;
  throw new Error('not implemented yet');
}

export async function openRepo(store: BlobStore, secret: RepoSecret, opts: OpenRepoOptions = {}): Promise<Repo> {
  void store;
  void secret;
  void opts;
  throw new Error('not implemented yet');
}

export class Repo {
  readonly id: string = '';
  readonly location: string = '';
  readonly store!: BlobStore;
  readonly canRead: boolean = false;
  readonly config!: RepoConfig;

  credentials(): WriterCredentials {
    throw new Error('not implemented yet');
  }

  /** Keyed blob id (HMAC-SHA-256 with the writer's id key) of a plaintext, hex. */
  blobId(plain: Buffer): string {
    void plain;
    throw new Error('not implemented yet');
  }

  /** True when the blob is stored (in the index, or pending in a pack being written). */
  hasBlob(id: string): boolean {
    void id;
    throw new Error('not implemented yet');
  }

  /** Adds a blob (deduplicated). Resolves once it is queued; waits while 2 packs are in flight (backpressure). */
  async addBlob(id: string, stored: StoredBlob): Promise<void> {
    void id;
    void stored;
    throw new Error('not implemented yet');
  }

  /** Seals and writes pending packs and their .idx; returns all pack ids written since open. */
  async flush(): Promise<string[]> {
    throw new Error('not implemented yet');
  }

  /** Plaintext of a blob (decompressed, verified). Needs the identity (SECRET_REQUIRED otherwise). */
  async readBlob(id: string): Promise<Buffer> {
    void id;
    throw new Error('not implemented yet');
  }

  /** Writes the .info then the .age (the commit point). Flushes pending packs first. */
  async saveSnapshot(snapshot: NewSnapshot): Promise<RepoSnapshotInfo> {
    void snapshot;
    throw new Error('not implemented yet');
  }

  /** Committed snapshots (those with a .age), oldest first. Writer key enough. */
  async listSnapshots(): Promise<RepoSnapshotInfo[]> {
    throw new Error('not implemented yet');
  }

  /** Full manifest: id, unique id prefix, or "latest". Needs the identity. */
  async loadManifest(idOrPrefixOrLatest: string): Promise<SnapshotManifest> {
    void idOrPrefixOrLatest;
    throw new Error('not implemented yet');
  }

  /** File listing of a snapshot from its .info (writer key enough). */
  async loadListing(idOrPrefixOrLatest: string): Promise<FileEntry[]> {
    void idOrPrefixOrLatest;
    throw new Error('not implemented yet');
  }

  /** Runs fn holding a repository lock (re-entrant within this Repo). REPOSITORY_LOCKED if another process holds a conflicting one. */
  async withLock<T>(fn: () => Promise<T>, kind: LockKind): Promise<T> {
    void fn;
    void kind;
    throw new Error('not implemented yet');
  }

  async check(opts: CheckOptions = {}): Promise<CheckReport> {
    void opts;
    throw new Error('not implemented yet');
  }

  /** Removes snapshots the policy does not keep (exclusive lock); optionally prunes. */
  async forget(policy: RetentionPolicy, opts: { prune?: boolean; dryRun?: boolean; timeZone?: string } = {}): Promise<ForgetResult> {
    void policy;
    void opts;
    throw new Error('not implemented yet');
  }

  async prune(opts: PruneOptions = {}): Promise<PruneResult> {
    void opts;
    throw new Error('not implemented yet');
  }

  /** Re-wraps keys/identity.age with a new passphrase; data and the recovery key are untouched. Needs the identity. */
  async changePassphrase(next: string): Promise<void> {
    void next;
    throw new Error('not implemented yet');
  }

  async close(): Promise<void> {
    throw new Error('not implemented yet');
  }
}

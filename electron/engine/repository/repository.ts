/**
 * A Rempart repository (format v1, docs/FORMAT.md) on a BlobStore: keys, packs, index, snapshots, locks,
 * check, retention and prune. The jobs layer builds backup/restore and the public facade on this class.
 */
import { systemClock, type Clock } from '../base/clock.js';
import { BugError, RempartError } from '../base/errors.js';
import { blobId as keyedId, deriveKeys } from '../content/hashing.js';
import type { CheckOptions, CheckReport, FileEntry, ForgetResult, RepoSecret, RetentionPolicy, WriterCredentials } from '../api.js';
import { DEFAULT_RETENTION } from '../api.js';
import { isNotFound, type BlobStore } from './blob-store.js';
import { BlobIndex, type BlobLocation } from './blob-index.js';
import { runCheck } from './check.js';
import { readConfig } from './config-file.js';
import { credentialsOf, unlockKeys, wrapIdentity, IDENTITY_PATH, type RepoKeys } from './keys.js';
import { RepoLocker } from './lock.js';
import { DecodePool } from './decode-pool.js';
import { PackReader } from './pack-reader.js';
import { walkPack, type PackWalk, type WalkOptions } from './pack-stream.js';
import { PackWriter } from './pack-writer.js';
import { runPrune } from './prune.js';
import type { RepoContext } from './repo-context.js';
import { applyRetention } from './retention.js';
import { loadCatalog, resolveSnapshot } from './snapshot-catalog.js';
import { decryptManifest, fromListingRow, infoPath, manifestPath } from './snapshot-files.js';
import { saveSnapshotFiles } from './snapshot-save.js';
import {
  type IndexEntry,
  type LockKind,
  type NewSnapshot,
  type OpenRepoOptions,
  type PruneOptions,
  type PruneResult,
  type RepoConfig,
  type RepoSnapshotInfo,
  type SnapshotManifest,
  type StoredBlob,
} from './types.js';

export { createRepository, DEFAULT_CHUNKER } from './create-repository.js';

export async function openRepo(store: BlobStore, secret: RepoSecret, opts: OpenRepoOptions = {}): Promise<Repo> {
  const config = await readConfig(store);
  const keys = await unlockKeys(store, config, secret);
  const { idKey, sealKey } = deriveKeys(keys.writerKey);
  const index = await BlobIndex.load(store, sealKey, opts.cacheDir);
  if (!keys.identity && index.packs.size === 0 && index.unreadable.length > 0) {
    throw new RempartError('WRONG_PASSPHRASE', 'the writer key does not open this repository index');
  }
  return new Repo(store, config, keys, idKey, sealKey, index, opts);
}

export class Repo {
  readonly id: string;
  readonly location: string;
  readonly canRead: boolean;
  private readonly clock: Clock;
  private readonly reader: PackReader | null;
  private readonly writer: PackWriter;
  private readonly packsWritten: string[] = [];
  private readonly locker: RepoLocker;
  private closed = false;

  constructor(
    readonly store: BlobStore,
    readonly config: RepoConfig,
    private readonly keys: RepoKeys,
    private readonly idKey: Buffer,
    private readonly sealKey: Buffer,
    private readonly index: BlobIndex,
    private readonly opts: OpenRepoOptions,
  ) {
    this.id = config.id;
    this.location = store.location;
    this.canRead = keys.identity !== null;
    this.clock = opts.clock ?? systemClock;
    this.reader = keys.identity ? new PackReader(store, keys.identity, idKey) : null;
    this.writer = this.newWriter();
    this.locker = new RepoLocker(store, { clock: this.clock, host: opts.host, waitMs: opts.lockWaitMs });
  }

  private newWriter(): PackWriter {
    return new PackWriter({
      store: this.store,
      recipient: this.config.recipient,
      sealKey: this.sealKey,
      packSize: this.config.packSize,
      clock: this.clock,
      onPackWritten: (idx) => this.index.addPack(idx),
    });
  }

  private get context(): RepoContext {
    return {
      store: this.store,
      config: this.config,
      clock: this.clock,
      identity: this.keys.identity,
      idKey: this.idKey,
      sealKey: this.sealKey,
      index: this.index,
      reader: this.reader,
      catalog: () => loadCatalog(this.store, this.sealKey),
      manifest: (s) => this.readManifest(s),
      newPackWriter: () => this.newWriter(),
    };
  }

  credentials(): WriterCredentials {
    return credentialsOf(this.config, this.keys);
  }

  /** Keyed blob id (HMAC-SHA-256 with the writer's id key) of a plaintext, hex. */
  blobId(plain: Buffer): string {
    return keyedId(this.idKey, plain);
  }

  /** True when the blob is stored (in the index, or pending in a pack being written). */
  hasBlob(id: string): boolean {
    return this.index.has(id) || this.writer.has(id);
  }

  /** The pack holding a blob already written (undefined too while it waits in a pack being written). */
  packIdOf(id: string): string | undefined {
    return this.index.packIdOf(id);
  }

  /** Where a stored blob lives (lets restore group reads by pack). */
  locate(id: string): BlobLocation | undefined {
    return this.index.get(id);
  }

  /** Number of blobs in the index. */
  get blobCount(): number {
    return this.index.size;
  }

  /** Encrypted bytes written to the store since open (packs and indexes). */
  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  /** Adds a blob (deduplicated). Resolves once it is queued; waits while 2 packs are in flight (backpressure). */
  async addBlob(id: string, stored: StoredBlob): Promise<void> {
    if (this.closed) throw new BugError('addBlob on a closed repository');
    if (this.hasBlob(id)) return;
    await this.writer.add(id, stored);
  }

  /** Seals and writes pending packs and their .idx; returns all pack ids written since open. */
  async flush(): Promise<string[]> {
    await this.writer.flush();
    for (const id of this.writer.written) if (!this.packsWritten.includes(id)) this.packsWritten.push(id);
    return [...this.packsWritten];
  }

  /** Plaintext of a blob (decompressed, verified). Needs the identity (SECRET_REQUIRED otherwise). */
  async readBlob(id: string): Promise<Buffer> {
    const reader = this.requireReader('reading backed-up data');
    const loc = this.index.get(id);
    if (!loc) throw new RempartError('DATA_MISSING', `blob ${id} is in no pack of the index`, { details: { blob: id } });
    return reader.readBlob(loc);
  }

  /**
   * Streams a pack once, front to back, handing out the stored (still encoded, unverified) bytes of `entries` (sorted
   * by offset). Read/decrypt failures are returned, not thrown (see walkPack). Needs the identity.
   */
  async streamPack(packId: string, entries: readonly IndexEntry[], onBlob: (entry: IndexEntry, stored: Buffer) => Promise<void> | void, opts: WalkOptions = {}): Promise<PackWalk> {
    this.requireReader('reading backed-up data');
    return walkPack(this.store, this.keys.identity as string, packId, entries, onBlob, opts);
  }

  /** Decodes the stored bytes of a blob and verifies them against its keyed id (DATA_CORRUPT naming the pack). */
  async verifyBlob(packId: string, entry: IndexEntry, stored: Buffer): Promise<Buffer> {
    return this.requireReader('reading backed-up data').verify(packId, entry, stored);
  }

  /** Decodes and verifies blobs on worker threads (streaming restore); close() it when done. Needs the identity. */
  newDecoder(): DecodePool {
    return new DecodePool(this.idKey, this.requireReader('reading backed-up data'));
  }

  private requireReader(what: string): PackReader {
    if (!this.reader) throw new RempartError('SECRET_REQUIRED', `${what} needs the passphrase or the recovery key`);
    return this.reader;
  }

  /** Writes the .info then the .age (the commit point). Flushes pending packs first. */
  async saveSnapshot(snapshot: NewSnapshot): Promise<RepoSnapshotInfo> {
    await this.flush();
    return saveSnapshotFiles(this.context, snapshot);
  }

  /** Committed snapshots (those with a .age), oldest first. Writer key enough. */
  async listSnapshots(): Promise<RepoSnapshotInfo[]> {
    return (await loadCatalog(this.store, this.sealKey)).snapshots;
  }

  /** Finds a snapshot by id, unique prefix or "latest" (SNAPSHOT_NOT_FOUND). */
  async findSnapshot(ref: string): Promise<RepoSnapshotInfo> {
    return resolveSnapshot(await this.listSnapshots(), ref);
  }

  /** Full manifest: id, unique id prefix, or "latest". Needs the identity. */
  async loadManifest(idOrPrefixOrLatest: string): Promise<SnapshotManifest> {
    this.requireReader('reading a snapshot manifest');
    return this.readManifest(await this.findSnapshot(idOrPrefixOrLatest));
  }

  private async readManifest(s: RepoSnapshotInfo): Promise<SnapshotManifest> {
    const identity = this.keys.identity;
    if (!identity) throw new RempartError('SECRET_REQUIRED', 'reading a snapshot manifest needs the passphrase or the recovery key');
    const path = manifestPath(s.name);
    let data: Buffer;
    try {
      data = await this.store.read(path);
    } catch (err) {
      if (isNotFound(err)) throw new RempartError('SNAPSHOT_NOT_FOUND', `snapshot ${s.id} was removed meanwhile`, { details: { snapshot: s.id } });
      throw err;
    }
    return decryptManifest(identity, data, path);
  }

  /** File listing of a snapshot from its .info (writer key enough). */
  async loadListing(idOrPrefixOrLatest: string): Promise<FileEntry[]> {
    const catalog = await loadCatalog(this.store, this.sealKey);
    const s = resolveSnapshot(catalog.snapshots, idOrPrefixOrLatest);
    const info = catalog.infos.get(s.id);
    if (!info) throw new RempartError('DATA_CORRUPT', `${infoPath(s.name)} is unreadable`);
    return info.files.map(fromListingRow);
  }

  /** Runs fn holding a repository lock (re-entrant within this Repo). REPOSITORY_LOCKED if another process holds a conflicting one. */
  async withLock<T>(fn: () => Promise<T>, kind: LockKind): Promise<T> {
    return this.locker.withLock(fn, kind);
  }

  async check(opts: CheckOptions = {}): Promise<CheckReport> {
    if (opts.readData) this.requireReader('check --read-data');
    return this.withLock(() => runCheck(this.context, opts), 'shared');
  }

  /** Removes snapshots the policy does not keep (exclusive lock); optionally prunes. */
  async forget(policy: RetentionPolicy = DEFAULT_RETENTION, opts: { prune?: boolean; dryRun?: boolean } = {}): Promise<ForgetResult> {
    return this.withLock(async () => {
      const snapshots = await this.listSnapshots();
      const decision = applyRetention(snapshots, policy, this.opts.timeZone);
      if (!opts.dryRun) {
        for (const s of snapshots.filter((x) => decision.remove.includes(x.id))) {
          await this.store.remove(manifestPath(s.name)); // the commit point goes first
          await this.store.remove(infoPath(s.name));
        }
      }
      const result: ForgetResult = { kept: decision.keep, removed: decision.remove };
      if (opts.prune) result.prune = await this.prune({ dryRun: opts.dryRun, ignoreSnapshots: opts.dryRun ? decision.remove : undefined });
      return result;
    }, 'exclusive');
  }

  async prune(opts: PruneOptions = {}): Promise<PruneResult> {
    return this.withLock(() => runPrune(this.context, opts), 'exclusive');
  }

  /** Re-wraps keys/identity.age with a new passphrase; data and the recovery key are untouched. Needs the identity. */
  async changePassphrase(next: string): Promise<void> {
    this.requireReader('changing the passphrase');
    const wrapped = await wrapIdentity(this.keys.identity as string, next, this.opts.scryptWorkFactor);
    await this.withLock(() => this.store.write(IDENTITY_PATH, wrapped, wrapped.length, { overwrite: true }), 'exclusive');
  }

  /** Writes pending packs (so an interrupted run's work is reusable) and releases locks. The store stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } catch {
      // A failed pack write was already reported to whoever added the blobs; complete packs stay reusable.
    } finally {
      await this.locker.releaseAll();
    }
  }
}

/**
 * The WebDAV storage target: a BlobStore on a WebDAV server (Nextcloud/ownCloud, kDrive, pCloud, Koofr, Synology,
 * Apache mod_dav…), built on the `webdav` client. See README.md in this folder for the rules and the server quirks.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../../base/clock.js';
import { RempartError } from '../../base/errors.js';
import {
  BlobStoreError,
  type BlobStore,
  type ReadOptions,
  type SpaceInfo,
  type StoredFile,
  type WriteOptions,
} from '../../repository/blob-store.js';
import { CollectionCache } from './collections.js';
import { DavSession } from './dav-session.js';
import { openResumable } from './download.js';
import { propfindOnce, quotaOnce } from './propfind.js';
import type { RetryPolicy } from './retry.js';
import { TokenBucket } from './throttle.js';
import { uploadAtomic, type UploadContext, type WriteSource } from './upload.js';
import { checkRepoPath } from './url-policy.js';

export interface WebdavStoreOptions {
  /** Base collection of the repository, e.g. https://cloud.example/remote.php/dav/files/anne/Rempart/ */
  url: string;
  username?: string;
  password?: string;
  /** Upload cap in KB/s (1 KB = 1024 bytes), shared by all uploads of this store. */
  bandwidthLimitKBps?: number;
  /** Accept plain http:// to a private-network address (a NAS in the shop). Loopback is always accepted. */
  allowInsecureHttp?: boolean;
  /** No-progress watchdog for every request, ms (default 60 000). */
  idleTimeoutMs?: number;
  /** Deadline of a request without a large body, ms (default 5 min); transfers get size / 8 KiB/s more. */
  requestDeadlineMs?: number;
  retry?: RetryPolicy;
  clock?: Clock;
  /** Told about retries (scrubbed technical text), for the job log. */
  onRetry?: (message: string) => void;
}

const LIST_CONCURRENCY = 4;

export class WebdavStore implements BlobStore {
  readonly location: string;
  private readonly session: DavSession;
  private readonly collections: CollectionCache;
  private readonly upload: UploadContext;
  private tempCleaned: Promise<number> | null = null;

  constructor(opts: WebdavStoreOptions) {
    if (opts.bandwidthLimitKBps !== undefined && !(opts.bandwidthLimitKBps > 0)) {
      throw new RempartError('INVALID_CONFIG', `bandwidth limit must be a positive number of KB/s, got ${opts.bandwidthLimitKBps}`);
    }
    // A capped line must not trip the transfer deadline: accept down to half the cap.
    const minThroughputBps = opts.bandwidthLimitKBps ? Math.min(8192, (opts.bandwidthLimitKBps * 1024) / 2) : undefined;
    this.session = new DavSession({ ...opts, minThroughputBps });
    this.location = this.session.location;
    this.collections = new CollectionCache(this.session);
    this.upload = {
      session: this.session,
      collections: this.collections,
      bucket: opts.bandwidthLimitKBps ? new TokenBucket(opts.bandwidthLimitKBps, this.session.clock) : undefined,
      serverEtagIsMd5: { value: null },
    };
  }

  async write(path: string, data: WriteSource, size: number, opts: WriteOptions = {}): Promise<void> {
    checkRepoPath(path);
    if (!Number.isSafeInteger(size) || size < 0) throw new RempartError('INVALID_INPUT', `write ${path}: invalid size ${size}`);
    if (opts.signal?.aborted) throw new RempartError('CANCELLED', `write ${path}: cancelled`);
    if (!opts.overwrite && (await this.stat(path, opts.signal)) !== null) throw new BlobStoreError('exists', path);
    this.tempCleaned ??= this.cleanTemp().catch(() => 0); // once per store: leftovers of killed runs, best effort
    await this.tempCleaned;
    await uploadAtomic(this.upload, path, data, size, opts);
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of await this.openRead(path, opts)) parts.push(c as Buffer);
    return Buffer.concat(parts);
  }

  async openRead(path: string, opts: ReadOptions = {}): Promise<Readable> {
    checkRepoPath(path);
    if (opts.signal?.aborted) throw new RempartError('CANCELLED', `read ${path}: cancelled`);
    try {
      return await openResumable(this.session, path, opts);
    } catch (err) {
      if (err instanceof BlobStoreError) await this.collections.assertBaseReachable(opts.signal);
      throw err;
    }
  }

  async stat(path: string, signal?: AbortSignal): Promise<StoredFile | null> {
    checkRepoPath(path);
    const entries = await this.session.call(`stat ${path}`, () => propfindOnce(this.session, path, 0, { signal }), signal);
    const e = entries?.find((x) => x.path === path) ?? entries?.[0];
    if (!entries) await this.collections.assertBaseReachable(signal);
    if (!e || e.collection) return null;
    return { path, size: e.size };
  }

  async list(dir: string): Promise<StoredFile[]> {
    const root = dir.replace(/^\/+|\/+$/g, '');
    if (root !== '') checkRepoPath(root);
    const out: StoredFile[] = [];
    const queue = [root];
    const worker = async () => {
      for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
        const at = d;
        const entries = await this.session.call(`list ${at || '/'}`, () =>
          propfindOnce(this.session, at, 1, { collection: true }),
        );
        for (const e of entries ?? []) {
          if (e.path === at || (at === '' && e.path === '')) continue;
          if (root === '' && (e.path === '.tmp' || e.path.startsWith('.tmp/'))) continue;
          if (e.collection) queue.push(e.path);
          else out.push({ path: e.path, size: e.size });
        }
      }
    };
    // Breadth-first with a few workers: idle workers stop when the queue is momentarily empty, so loop until done.
    while (queue.length > 0) await Promise.all(Array.from({ length: Math.min(LIST_CONCURRENCY, queue.length) }, worker));
    if (out.length === 0) await this.collections.assertBaseReachable();
    return out;
  }

  async remove(path: string): Promise<void> {
    checkRepoPath(path);
    await this.session.call(`remove ${path}`, () => this.session.send({ method: 'DELETE', path, accept: [404] }));
  }

  async space(): Promise<SpaceInfo> {
    const q = await this.session.call('read quota', () => quotaOnce(this.session));
    if (q.free === null) return { free: null, total: null };
    return { free: q.free, total: q.used === null ? null : q.used + q.free };
  }

  /** Deletes temporary upload files older than maxAgeMs (left by killed runs). Returns how many were removed. */
  async cleanTemp(maxAgeMs = 24 * 3600_000): Promise<number> {
    const entries = (await this.session.call('list /.tmp', () => propfindOnce(this.session, '.tmp', 1, { collection: true }))) ?? [];
    const now = this.session.clock.now();
    let removed = 0;
    for (const e of entries) {
      if (e.collection || e.path === '.tmp') continue;
      const mod = Date.parse(String(e.props.getlastmodified ?? ''));
      if (Number.isNaN(mod) || now - mod < maxAgeMs) continue;
      await this.session.send({ method: 'DELETE', path: e.path, accept: [404] });
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/**
 * Writes packs as blobs arrive. On a store with temporary files (a local folder, a USB drive), each pack goes to its
 * file as it fills (PackFileBuilder: a few 1 MiB segments in memory); elsewhere (WebDAV) one pack fills in memory while
 * the previous one is zipped, encrypted and written (PackBuilder: at most two full packs in memory). Either way, adding
 * waits when a third pack would start while two are being finished. Each pack is written first (temp name, fsync,
 * verify, rename: the store's job), then its index/<packId>.idx: a pack without its .idx is an unfinished write that
 * later runs ignore and prune removes.
 */
import type { Clock } from '../base/clock.js';
import { isExists, type BlobStore } from './blob-store.js';
import { sealIndex } from './blob-index.js';
import { indexPath, PackBuilder, packPath, type SealedPack } from './pack-builder.js';
import { PackFileBuilder, SegmentPool, type WrittenPackFile } from './pack-file-builder.js';
import { recyclePackData } from './seal-worker.js';
import type { PackIndexFile, StoredBlob } from './types.js';

export interface PackWriterOptions {
  store: BlobStore;
  recipient: string;
  sealKey: Buffer;
  packSize: number;
  clock: Clock;
  /** Called once a pack and its .idx are durably written. */
  onPackWritten: (idx: PackIndexFile) => void;
  signal?: AbortSignal;
}

type Builder = PackBuilder | PackFileBuilder;

export class PackWriter {
  private current: Builder;
  /** Full packs being sealed/written, oldest first. */
  private readonly sealing: Builder[] = [];
  private readonly segments = new SegmentPool();
  private tail: Promise<void> = Promise.resolve();
  /** Callers of add() waiting for the queue of full packs to drain. */
  private readonly drained: (() => void)[] = [];
  private failure: unknown = null;
  /** Ids of packs written by this writer, in order. */
  readonly written: string[] = [];
  /** Encrypted bytes written (packs and their .idx). */
  bytesWritten = 0;

  constructor(private readonly opts: PackWriterOptions) {
    this.current = this.newBuilder();
  }

  /**
   * Into its file when the store allows it; else in memory, with staging room for the pack size plus the largest blob
   * that may overflow it (grown on demand beyond).
   */
  private newBuilder(): Builder {
    const { store } = this.opts;
    if (store.temporaryFile) return new PackFileBuilder(store as Required<Pick<BlobStore, 'temporaryFile'>> & BlobStore, this.opts.recipient, this.segments);
    return new PackBuilder(this.opts.packSize + 1024 * 1024);
  }

  /** True when packs go to their files as they fill (no pack in memory). */
  get streaming(): boolean {
    return this.current instanceof PackFileBuilder;
  }

  /** True when the blob waits in a pack not yet written. */
  has(id: string): boolean {
    return this.current.has(id) || this.sealing.some((b) => b.has(id));
  }

  get pendingBlobs(): number {
    return this.current.count + this.sealing.reduce((n, b) => n + b.count, 0);
  }

  async add(id: string, blob: StoredBlob): Promise<void> {
    this.throwIfFailed();
    if (this.has(id)) return;
    const builder = this.current;
    builder.add(id, blob);
    if (builder.isFull(this.opts.packSize)) await this.rotate();
    else if (builder instanceof PackFileBuilder) await builder.settle();
    // Backpressure for every caller, not only the one that filled a pack: with blobs added concurrently, the others
    // kept filling new packs while one waited, and full packs queued without bound (17 × 16 MiB seen at 1 GB).
    while (this.sealing.length > 1) await new Promise<void>((wake) => this.drained.push(wake));
    this.throwIfFailed();
  }

  /** Writes everything pending; resolves when all packs and indexes are on the store. */
  async flush(): Promise<string[]> {
    this.throwIfFailed();
    if (this.current.count > 0) await this.rotate();
    await this.tail;
    this.throwIfFailed();
    return [...this.written];
  }

  /** Drops the blobs not yet written (after a failure or an abort). Packs already written stay reusable. */
  async discard(): Promise<void> {
    const dropped = this.current;
    this.current = this.newBuilder();
    if (dropped instanceof PackFileBuilder) await dropped.discard().catch(() => undefined);
    await this.tail.catch(() => undefined);
    this.segments.clear();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async rotate(): Promise<void> {
    const builder = this.current;
    this.current = this.newBuilder();
    this.sealing.push(builder);
    // Sealing starts at once on the seal thread, while the previous pack is still being written (its fsyncs leave the
    // seal thread idle otherwise); packs are written in order.
    const sealed = this.failure === null ? this.seal(builder) : null;
    sealed?.catch(() => undefined); // a failure is reported through the tail, in order
    const previous = this.tail;
    this.tail = previous.then(async () => {
      try {
        if (this.failure === null && sealed) await this.writePack(await sealed);
        else if (sealed) await sealed.then((s) => ('commit' in s ? s.discard() : undefined), () => undefined);
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.sealing.splice(this.sealing.indexOf(builder), 1);
        if (this.sealing.length <= 1) for (const wake of this.drained.splice(0)) wake();
      }
    });
    // Backpressure: with a pack already being written, wait for it before filling a new one.
    if (this.sealing.length > 1) await previous;
    this.throwIfFailed();
  }

  private async seal(builder: Builder): Promise<SealedPack | WrittenPackFile> {
    const { recipient, clock, signal } = this.opts;
    const createdAt = new Date(clock.now()).toISOString();
    if (builder instanceof PackFileBuilder) {
      if (signal?.aborted) {
        await builder.discard();
        signal.throwIfAborted();
      }
      return builder.seal(createdAt);
    }
    signal?.throwIfAborted();
    return builder.seal(recipient, createdAt);
  }

  private async writePack(sealed: SealedPack | WrittenPackFile): Promise<void> {
    const { store, sealKey, signal } = this.opts;
    if (signal?.aborted && 'commit' in sealed) await sealed.discard();
    signal?.throwIfAborted();
    let size: number;
    if ('commit' in sealed) {
      size = sealed.size;
      await sealed.commit(signal);
    } else {
      size = sealed.data.length;
      try {
        await store.write(packPath(sealed.id), sealed.data, size, { overwrite: false, sha256: sealed.id, signal });
      } catch (err) {
        // Same name means same sha256: the identical file is already there.
        if (!isExists(err)) throw err;
      }
      // The write is over (a failed one keeps its buffer: nothing is reused that a store might still read). From here on
      // the buffer may receive another pack (another writer's, moved to the seal thread): sealed.data is not read again.
      recyclePackData(sealed.data);
    }
    const idx = sealIndex(sealKey, sealed.index);
    await store.write(indexPath(sealed.id), idx, idx.length, { overwrite: true, signal });
    this.bytesWritten += size + idx.length;
    this.written.push(sealed.id);
    this.opts.onPackWritten(sealed.index);
  }
}

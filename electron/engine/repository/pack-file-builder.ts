/**
 * Builds one pack straight into its file on a store that offers temporary files (BlobStore.temporaryFile: a local
 * folder or USB drive): blobs are copied into 1 MiB segments, and each full segment goes to the seal thread, which
 * appends its blobs to the pack's zip, encrypts and writes them (pack-file.ts) and gives the segment back. A 16 MiB pack
 * never sits in memory: a few segments do. Same surface as PackBuilder (the in-memory way, for stores that need the
 * whole file at once, such as WebDAV, where a failed upload is sent again).
 */
import { BugError } from '../base/errors.js';
import { isExists, type BlobStore, type TemporaryFile } from './blob-store.js';
import { entryName, PackContents, packPath } from './pack-builder.js';
import { entryOverhead } from './pack-zip.js';
import type { SealEntry } from './pack-seal.js';
import { openPackFile, type PackFileSession } from './seal-worker.js';
import type { Codec, IndexEntry, PackIndexFile, StoredBlob } from './types.js';

export const SEGMENT_SIZE = 1024 * 1024;
/** Segments on their way to the file per pack: beyond, adding waits (settle). */
const MAX_SEGMENTS_IN_FLIGHT = 3;
/**
 * Segments kept for reuse: as many as can be away at once (a filling pack and two being sealed, each with its segments
 * on their way: about 10 measured), so that none is dropped to be allocated again (6 let 16 be allocated at 1 GB, 33 at 2).
 */
const MAX_SPARE_SEGMENTS = 12;

/** Segment buffers of a writer, filled again once the seal thread gives them back. */
export class SegmentPool {
  private readonly spare: Buffer[] = [];
  take(minSize: number): Buffer {
    const i = this.spare.findIndex((b) => b.length >= minSize);
    if (i >= 0) return this.spare.splice(i, 1)[0];
    return Buffer.allocUnsafeSlow(Math.max(SEGMENT_SIZE, minSize));
  }
  give(buf: Buffer): void {
    if (buf.byteLength === SEGMENT_SIZE && this.spare.length < MAX_SPARE_SEGMENTS) this.spare.push(buf);
  }
  clear(): void {
    this.spare.length = 0;
  }
}

interface PendingBlob {
  id: string;
  codec: Codec;
  length: number;
  rawLength: number;
}

/** A pack whose file is complete on the store under a temporary name: commit() gives it its name. */
export interface WrittenPackFile {
  id: string;
  size: number;
  index: PackIndexFile;
  /** Moves the file into place (an identical pack already there: the file is dropped, not an error). */
  commit(signal?: AbortSignal): Promise<void>;
  /** Drops the file (the pack will not be used). */
  discard(): Promise<void>;
}

export class PackFileBuilder extends PackContents<PendingBlob> {
  private segment: Buffer | null = null;
  private segmentUsed = 0;
  private segmentEntries: SealEntry[] = [];
  private session: Promise<{ temp: TemporaryFile; file: PackFileSession }> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;
  private sealed = false;

  constructor(
    private readonly store: BlobStore & Required<Pick<BlobStore, 'temporaryFile'>>,
    private readonly recipient: string,
    private readonly pool: SegmentPool,
  ) {
    super();
  }

  /** Copies the blob into the filling segment (synchronously: the caller may reuse its bytes at once). */
  add(id: string, blob: StoredBlob): void {
    if (this.sealed) throw new BugError('PackFileBuilder.add after seal');
    if (this.ids.has(id)) return;
    const length = blob.data.length;
    if (this.segment && this.segmentUsed + length > this.segment.length) this.sendSegment();
    this.segment ??= this.pool.take(length);
    this.ids.add(id);
    blob.data.copy(this.segment, this.segmentUsed);
    const name = entryName(id, blob.codec);
    this.segmentEntries.push({ name, offset: this.segmentUsed, length });
    this.segmentUsed += length;
    this.blobs.push({ id, codec: blob.codec, length, rawLength: blob.rawLength });
    this.bytes += length + entryOverhead(name);
  }

  /** Waits while too many segments are on their way to the file; throws what writing met so far. */
  async settle(): Promise<void> {
    while (this.inFlight.size > MAX_SEGMENTS_IN_FLIGHT && this.failure === null) await Promise.race(this.inFlight);
    if (this.failure !== null) throw this.failure;
  }

  private open(): Promise<{ temp: TemporaryFile; file: PackFileSession }> {
    this.session ??= (async () => {
      const temp = await this.store.temporaryFile('data');
      try {
        return { temp, file: await openPackFile(temp.file, this.recipient) };
      } catch (err) {
        await temp.discard();
        throw await temp.explain(err, this.bytes);
      }
    })();
    return this.session;
  }

  private sendSegment(): void {
    const segment = this.segment;
    const entries = this.segmentEntries;
    this.segment = null;
    this.segmentUsed = 0;
    this.segmentEntries = [];
    if (!segment || entries.length === 0) {
      if (segment) this.pool.give(segment);
      return;
    }
    const sent = (async () => {
      const { temp, file } = await this.open();
      try {
        this.pool.give(await file.append(segment, entries));
      } catch (err) {
        throw await temp.explain(err, this.bytes);
      }
    })().catch((err: unknown) => {
      this.failure ??= err;
    });
    const tracked = sent.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Ends the pack: its file is complete and synced under a temporary name, with its index. */
  async seal(createdAt: string): Promise<WrittenPackFile> {
    if (this.sealed) throw new BugError('PackFileBuilder sealed twice');
    if (this.blobs.length === 0) throw new BugError('PackFileBuilder: empty pack');
    this.sealed = true;
    this.sendSegment();
    await Promise.all(this.inFlight);
    const { temp, file } = await this.open();
    if (this.failure !== null) {
      await file.abort();
      await temp.discard();
      throw this.failure;
    }
    let result;
    try {
      result = await file.finish();
    } catch (err) {
      await temp.discard();
      throw await temp.explain(err, this.bytes);
    }
    const { size, sha256, dataOffsets } = result;
    const blobs: IndexEntry[] = this.blobs.map((b, i) => ({ id: b.id, codec: b.codec, offset: dataOffsets[i], length: b.length, rawLength: b.rawLength }));
    return {
      id: sha256,
      size,
      index: { pack: { id: sha256, size, sha256, createdAt }, blobs },
      commit: async (signal) => {
        try {
          await temp.commit(packPath(sha256), size, { signal });
        } catch (err) {
          if (!isExists(err)) throw err; // same name means same sha256: the identical file is already there
        }
      },
      discard: () => temp.discard(),
    };
  }

  /** Stops the pack (a failure or a cancelled run): its file goes. */
  async discard(): Promise<void> {
    this.sealed = true;
    if (this.segment) this.pool.give(this.segment);
    this.segment = null;
    if (!this.session) return;
    await Promise.all(this.inFlight);
    const opened = await this.session.catch(() => null);
    if (!opened) return;
    await opened.file.abort();
    await opened.temp.discard();
  }
}

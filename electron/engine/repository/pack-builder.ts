/**
 * Builds one pack in memory, for stores that take whole files (WebDAV; a local store streams packs to their files:
 * pack-file-builder.ts): each blob is copied, as it arrives, into one staging buffer (reused from pack to pack); when the pack
 * is full, the seal thread makes a stored zip of them with archiver, reads each entry's data offset back from the zip's
 * own headers, age-encrypts the zip to the repository recipient and hashes it (seal-worker.ts, pack-seal.ts).
 * Entry names: "<blobIdHex>.<ext>" where ext is the codec ("raw", "br" for brotli, "zst" for zstd). See docs/FORMAT.md.
 */
import { BugError } from '../base/errors.js';
import type { Codec, IndexEntry, PackIndexFile, StoredBlob } from './types.js';
import { releaseSealThread, sealPack, type SealEntry } from './seal-worker.js';
import { entryOverhead } from './pack-zip.js';
import { zipStaged } from './pack-seal.js';

export { zipInMemory } from './pack-zip.js';

/** Packs never hold more entries than this, so zips never need ZIP64. */
export const MAX_BLOBS_PER_PACK = 60_000;

const CODEC_EXT: Record<Codec, string> = { raw: 'raw', brotli: 'br', zstd: 'zst' };
const EXT_CODEC: Record<string, Codec> = { raw: 'raw', br: 'brotli', zst: 'zstd' };

export function entryName(id: string, codec: Codec): string {
  return `${id}.${CODEC_EXT[codec]}`;
}

export function parseEntryName(name: string): { id: string; codec: Codec } | null {
  const m = /^([0-9a-f]{64})\.([a-z]+)$/.exec(name);
  const codec = m ? EXT_CODEC[m[2]] : undefined;
  return m && codec ? { id: m[1], codec } : null;
}

export function packPath(packId: string): string {
  return `data/${packId.slice(0, 2)}/${packId}.pack`;
}

export function indexPath(packId: string): string {
  return `index/${packId}.idx`;
}

export interface SealedPack {
  id: string;
  /** The encrypted pack file. */
  data: Buffer;
  index: PackIndexFile;
}

interface PendingBlob {
  id: string;
  codec: Codec;
  name: string;
  /** Where the blob sits in the staging buffer. */
  offset: number;
  length: number;
  rawLength: number;
}

/**
 * Staging buffers waiting to be filled again: a fresh 16 MiB allocation per pack costs page faults (kernel time) and
 * garbage-collector pressure; two buffers serve a whole backup (one filling, one being sealed).
 */
const spareStaging: Buffer[] = [];
const MAX_SPARE_STAGING = 1;

function takeStaging(minSize: number): Buffer {
  const i = spareStaging.findIndex((b) => b.length >= minSize);
  if (i >= 0) return spareStaging.splice(i, 1)[0];
  return Buffer.allocUnsafeSlow(minSize);
}

let jobsWritingPacks = 0;

/**
 * A job that writes packs (a backup, a repack) holds the pack resources from its start to its end: when the last one
 * ends, what is kept from pack to pack goes (the spare staging buffer, the seal thread and its spare buffers), so that
 * the app, idle between runs, does not keep it. Returns the release, to call once (later calls do nothing).
 */
export function holdPackResources(): () => Promise<void> {
  jobsWritingPacks++;
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    if (--jobsWritingPacks > 0) return;
    spareStaging.length = 0;
    await releaseSealThread();
  };
}

function giveBackStaging(buf: Buffer | null): void {
  if (buf && buf.byteLength > 0 && spareStaging.length < MAX_SPARE_STAGING) spareStaging.push(buf);
}

/** What any pack being built knows of its blobs: their ids (a blob is added once), how many, the zip's size so far. */
export abstract class PackContents<B> {
  protected readonly blobs: B[] = [];
  protected readonly ids = new Set<string>();
  /** Bytes of the zip so far: blobs and their entries' headers. */
  protected bytes = 0;

  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.blobs.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** True once the pack reached its target size or entry limit. */
  isFull(target: number): boolean {
    return this.bytes >= target || this.blobs.length >= MAX_BLOBS_PER_PACK;
  }
}

/** Accumulates blobs for one pack. */
export class PackBuilder extends PackContents<PendingBlob> {
  private staging: Buffer | null = null;
  private used = 0;
  private sealed = false;

  /** `capacity`: staging bytes to reserve at the first blob (the pack size plus room for the blob that fills it). */
  constructor(private readonly capacity = 1024 * 1024) {
    super();
  }

  add(id: string, blob: StoredBlob): void {
    if (this.sealed) throw new BugError('PackBuilder.add after seal');
    if (this.ids.has(id)) return;
    this.ids.add(id);
    const length = blob.data.length;
    if (!this.staging || this.used + length > this.staging.length) {
      const bigger = takeStaging(Math.max(this.capacity, this.used + length, (this.staging?.length ?? 0) * 2));
      if (this.staging) {
        this.staging.copy(bigger, 0, 0, this.used);
        giveBackStaging(this.staging);
      }
      this.staging = bigger;
    }
    blob.data.copy(this.staging, this.used);
    const name = entryName(id, blob.codec);
    this.blobs.push({ id, codec: blob.codec, name, offset: this.used, length, rawLength: blob.rawLength });
    this.used += length;
    this.bytes += length + entryOverhead(name);
  }

  private entries(): SealEntry[] {
    if (this.blobs.length === 0 || !this.staging) throw new BugError('PackBuilder: empty pack');
    if (this.sealed) throw new BugError('PackBuilder sealed twice');
    return this.blobs.map((b) => ({ name: b.name, offset: b.offset, length: b.length }));
  }

  private indexEntries(dataOffsets: number[]): IndexEntry[] {
    return this.blobs.map((b, i) => ({ id: b.id, codec: b.codec, offset: dataOffsets[i], length: b.length, rawLength: b.rawLength }));
  }

  /** Builds the zip on this thread and returns it with the offset of each blob inside it (tests, tools). */
  async buildZip(): Promise<{ zip: Buffer; blobs: IndexEntry[] }> {
    const { zip, dataOffsets } = await zipStaged(this.staging!, this.entries());
    return { zip, blobs: this.indexEntries(dataOffsets) };
  }

  /** Zips, encrypts to `recipient`, hashes (on the seal thread): the pack file and its index, ready to write. */
  async seal(recipient: string, createdAt: string): Promise<SealedPack> {
    const entries = this.entries();
    const staging = this.staging!;
    this.sealed = true;
    this.staging = null;
    // The staging buffer is ours alone: it moves to the seal thread without a copy and comes back to be reused.
    const out = await sealPack({ staging, entries, recipient }, true);
    giveBackStaging(out.staging);
    const { data, sha256 } = out;
    return { id: sha256, data, index: { pack: { id: sha256, size: data.length, sha256, createdAt }, blobs: this.indexEntries(out.dataOffsets) } };
  }
}

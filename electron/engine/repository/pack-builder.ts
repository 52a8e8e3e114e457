/**
 * Builds one pack: blobs go into a stored (uncompressed) zip made with archiver, in memory; the data offset of each
 * entry is read back from the zip's own headers, then the zip is age-encrypted to the repository recipient.
 * Entry names: "<blobIdHex>.<ext>" where ext is the codec ("raw", "br" for brotli, "zst" for zstd). See docs/FORMAT.md.
 */
import type { Archiver, ArchiverOptions } from 'archiver';
import { createRequire } from 'node:module';
import { BugError } from '../base/errors.js';
import type { Codec, IndexEntry, PackIndexFile, StoredBlob } from './types.js';
import { encryptPack } from './seal-worker.js';
import { readZipLayout } from './zip-layout.js';
import { useNativeCrc32 } from './native-crc32.js';

// archiver 7 is CommonJS with a factory as its export; @types/archiver 8 describes v8's classes, hence the typed require.
// Loaded on the first pack (its module tree costs ~0.2 s of start-up, which a no-change backup never needs).
type ArchiverFactory = (format: 'zip', options?: ArchiverOptions) => Archiver;
let archiverFactory: ArchiverFactory | null = null;
function archiver(format: 'zip', options?: ArchiverOptions): Archiver {
  archiverFactory ??= createRequire(import.meta.url)('archiver') as ArchiverFactory;
  return archiverFactory(format, options);
}

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
  codec: StoredBlob['codec'];
  /** Released (set to null) once the zip is built, so a sealed pack does not hold its blobs twice. */
  data: Buffer | null;
  length: number;
  rawLength: number;
}

/** Accumulates blobs for one pack. */
export class PackBuilder {
  private readonly blobs: PendingBlob[] = [];
  private readonly ids = new Set<string>();
  private bytes = 0;

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

  add(id: string, blob: StoredBlob): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    // A view into a larger buffer (a file read buffer) is copied: a pack must not keep whole read buffers alive.
    const data = blob.data.byteLength === blob.data.buffer.byteLength ? blob.data : Buffer.from(blob.data);
    this.blobs.push({ id, codec: blob.codec, data, length: data.length, rawLength: blob.rawLength });
    this.bytes += data.length + entryOverhead(id);
  }

  /** Builds the zip and returns it with the offset of each blob inside it. The blobs' buffers are released. */
  async buildZip(): Promise<{ zip: Buffer; blobs: IndexEntry[] }> {
    if (this.blobs.length === 0) throw new BugError('PackBuilder.buildZip on an empty pack');
    const entries = this.blobs.map((b) => {
      if (!b.data) throw new BugError('PackBuilder.buildZip called twice');
      return { name: entryName(b.id, b.codec), data: b.data };
    });
    const zip = await zipInMemory(entries, this.bytes);
    for (const b of this.blobs) b.data = null;
    const layout = new Map(readZipLayout(zip).map((e) => [e.name, e]));
    const blobs = this.blobs.map((b): IndexEntry => {
      const e = layout.get(entryName(b.id, b.codec));
      if (!e || e.size !== b.length || e.method !== 0) throw new BugError(`zip layout does not match blob ${b.id}`);
      return { id: b.id, codec: b.codec, offset: e.dataOffset, length: b.length, rawLength: b.rawLength };
    });
    return { zip, blobs };
  }

  /** Zips, encrypts to `recipient`, hashes: the pack file and its index, ready to write. */
  async seal(recipient: string, createdAt: string): Promise<SealedPack> {
    const built = await this.buildZip();
    // The zip buffer is ours alone (zipInMemory allocates it): hand it to the encryption thread without a copy.
    const { data, sha256 } = await encryptPack(built.zip, recipient, true);
    return { id: sha256, data, index: { pack: { id: sha256, size: data.length, sha256, createdAt }, blobs: built.blobs } };
  }
}

/** Zip bytes around one entry: local header (30) + name, data descriptor (≤ 24), central header (46) + name. */
function entryOverhead(id: string): number {
  return 100 + 2 * (id.length + 4);
}

/**
 * A stored (method 0) zip of the given entries, made with archiver, collected into one Buffer. `sizeHint` (the
 * expected size) lets the output be written into one allocation instead of a list of chunks joined at the end.
 */
export async function zipInMemory(entries: { name: string; data: Buffer }[], sizeHint = 0): Promise<Buffer> {
  useNativeCrc32();
  const archive = archiver('zip', { store: true });
  let out = Buffer.allocUnsafe(Math.max(sizeHint + 1024, 4096));
  let used = 0;
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (c: Buffer) => {
      if (used + c.length > out.length) {
        const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, used + c.length));
        out.copy(bigger, 0, 0, used);
        out = bigger;
      }
      used += c.copy(out, used);
    });
    archive.on('end', () => resolve());
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  const date = new Date(Date.UTC(2000, 0, 1));
  for (const e of entries) archive.append(e.data, { name: e.name, date, store: true });
  await archive.finalize();
  await done;
  return out.subarray(0, used);
}

/**
 * Builds one pack: blobs go into a stored (uncompressed) zip made with archiver, in memory; the data offset of each
 * entry is read back from the zip's own headers, then the zip is age-encrypted to the repository recipient.
 * Entry names: "<blobIdHex>.<ext>" where ext is the codec ("raw", or "br" for brotli). See docs/FORMAT.md.
 */
import type { Archiver, ArchiverOptions } from 'archiver';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { BugError } from '../base/errors.js';
import { encrypt } from '../content/age/index.js';
import type { Codec, IndexEntry, PackIndexFile, StoredBlob } from './types.js';
import { readZipLayout } from './zip-layout.js';

// archiver 7 is CommonJS with a factory as its export; @types/archiver 8 describes v8's classes, hence the typed require.
const archiver = createRequire(import.meta.url)('archiver') as (format: 'zip', options?: ArchiverOptions) => Archiver;

/** Packs never hold more entries than this, so zips never need ZIP64. */
export const MAX_BLOBS_PER_PACK = 60_000;

const CODEC_EXT: Record<Codec, string> = { raw: 'raw', brotli: 'br' };
const EXT_CODEC: Record<string, Codec> = { raw: 'raw', br: 'brotli' };

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

interface PendingBlob extends StoredBlob {
  id: string;
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
    this.blobs.push({ id, ...blob });
    // 30 bytes of local header + name, 46 + name in the central directory.
    this.bytes += blob.data.length + 76 + 2 * (id.length + 4);
  }

  /** Builds the zip and returns it with the offset of each blob inside it. */
  async buildZip(): Promise<{ zip: Buffer; blobs: IndexEntry[] }> {
    if (this.blobs.length === 0) throw new BugError('PackBuilder.buildZip on an empty pack');
    const zip = await zipInMemory(this.blobs.map((b) => ({ name: entryName(b.id, b.codec), data: b.data })));
    const layout = new Map(readZipLayout(zip).map((e) => [e.name, e]));
    const blobs = this.blobs.map((b): IndexEntry => {
      const e = layout.get(entryName(b.id, b.codec));
      if (!e || e.size !== b.data.length || e.method !== 0) throw new BugError(`zip layout does not match blob ${b.id}`);
      return { id: b.id, codec: b.codec, offset: e.dataOffset, length: b.data.length, rawLength: b.rawLength };
    });
    return { zip, blobs };
  }

  /** Zips, encrypts to `recipient`, hashes: the pack file and its index, ready to write. */
  async seal(recipient: string, createdAt: string): Promise<SealedPack> {
    const { zip, blobs } = await this.buildZip();
    const data = await encrypt(zip, [{ type: 'x25519', recipient }]);
    const sha256 = createHash('sha256').update(data).digest('hex');
    return { id: sha256, data, index: { pack: { id: sha256, size: data.length, sha256, createdAt }, blobs } };
  }
}

/** A stored (method 0) zip of the given entries, made with archiver, collected into one Buffer. */
export async function zipInMemory(entries: { name: string; data: Buffer }[]): Promise<Buffer> {
  const archive = archiver('zip', { store: true });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (c: Buffer) => chunks.push(c));
    archive.on('end', () => resolve());
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  const date = new Date(Date.UTC(2000, 0, 1));
  for (const e of entries) archive.append(e.data, { name: e.name, date, store: true });
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

import { Chunker, chunkParamsForSize, CHUNK_PROFILES, type ChunkParams } from '../content/chunker.js';
import { compressBlob } from '../content/compression.js';
import type { StoredBlob } from '../repository/types.js';
import type { StreamChunker } from './file-reader.js';

/** The content layer as the backup pipeline uses it: a chunker sized for the file, and one compression per blob. */

/**
 * Small files are one blob: the "single" profile cuts at exactly its size, so the whole content is handed over
 * as read (no copy), in slices of that size if the file grew meanwhile.
 */
class WholeChunker implements StreamChunker {
  private parts: Buffer[] = [];
  readonly retainsInput = true;

  constructor(private readonly max: number) {}

  push(data: Buffer): Buffer[] {
    this.parts.push(data);
    return [];
  }

  finish(): Buffer[] {
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    const out: Buffer[] = [];
    for (let off = 0; off < all.length; off += this.max) out.push(all.subarray(off, off + this.max));
    return out;
  }
}

/**
 * One FastCDC chunker per profile, reused file after file (files are read one at a time): no 128–512 KiB buffer per file.
 * Its chunks are views (tailViews): like the read buffer's, valid until the consumer asks for more (see ReadScratch).
 */
const chunkers = new Map<ChunkParams, Chunker>();

export function newChunker(fileSize: number): StreamChunker {
  const params = chunkParamsForSize(fileSize);
  if (params === CHUNK_PROFILES.single) return new WholeChunker(params.maxSize);
  let c = chunkers.get(params);
  if (!c) chunkers.set(params, (c = new Chunker(params, { tailViews: true })));
  c.end(); // drop what a failed read may have left
  const chunker = c;
  return { push: (data) => chunker.push(data), finish: () => chunker.end() };
}

export async function compressChunk(plain: Buffer): Promise<StoredBlob> {
  const { codec, data } = await compressBlob(plain);
  // A chunk may be a zero-copy view of a 1 MiB read buffer; a raw blob kept in a filling pack would pin the whole buffer.
  const own = data.byteLength * 2 < data.buffer.byteLength ? Buffer.from(data) : data;
  return { codec, data: own, rawLength: plain.length };
}

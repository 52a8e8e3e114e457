/**
 * Content-defined chunking (FastCDC: gear rolling hash, normalized chunking, min-size skip), streaming with bounded memory.
 *
 * Gear table: gear[b] = first 4 bytes (big-endian uint32) of SHA-256(ASCII GEAR_SEED || byte b), b = 0..255.
 * Rolling hash: h = (h << 1) + gear[byte]  (mod 2^32), so h depends on exactly the last 32 bytes. Hashing of a chunk starts
 * 32 bytes before its minimum size (warm-up, no cut test), so every cut depends only on content, not on where the chunk began.
 * A cut is made after byte i when (h & mask) == 0, with mask = the top `bits` bits of h:
 *   bits = log2(avgSize) + NORMALIZATION while the chunk is shorter than avgSize (harder), log2(avgSize) - NORMALIZATION after;
 *   never before minSize, always at maxSize. Zeros: h converges to -gear[0] mod 2^32, which matches no mask, so runs of zero
 *   bytes are cut at maxSize (identical chunks, deduplicated), never at every minSize.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BugError } from '../base/errors.js';

export const GEAR_SEED = 'rempart/v1/gear';
export const NORMALIZATION = 2;
const WINDOW = 32;

export interface ChunkParams {
  minSize: number;
  /** A power of two. */
  avgSize: number;
  maxSize: number;
}

/** Files up to this size are one blob. */
export const SINGLE_BLOB_MAX = 512 * 1024;
/** Files above this size (databases, mailboxes, archives) get small chunks: scattered page rewrites stay cheap. */
export const SMALL_CHUNKS_FROM = 8 * 1024 * 1024;

export const CHUNK_PROFILES = {
  /** Whole file as one blob (min = max: no hashing at all). */
  single: { minSize: SINGLE_BLOB_MAX, avgSize: SINGLE_BLOB_MAX, maxSize: SINGLE_BLOB_MAX },
  /** Photos, PDFs, office documents: rarely edited in place; fewer, larger blobs. */
  medium: { minSize: 64 * 1024, avgSize: 128 * 1024, maxSize: 512 * 1024 },
  /**
   * Databases rewritten as scattered 4–8 KiB pages: ~24 KiB chunks on page files (zero-filled page ends never cut), so
   * rewriting 1% of the pages dirties ~9% of the bytes (see chunker.test.ts; 32/64 KiB averages dirty ~15%/~26%).
   */
  large: { minSize: 12 * 1024, avgSize: 16 * 1024, maxSize: 64 * 1024 },
} as const satisfies Record<string, ChunkParams>;

export function chunkParamsForSize(fileSize: number): ChunkParams {
  if (fileSize <= SINGLE_BLOB_MAX) return CHUNK_PROFILES.single;
  if (fileSize < SMALL_CHUNKS_FROM) return CHUNK_PROFILES.medium;
  return CHUNK_PROFILES.large;
}

export const GEAR: Int32Array = (() => {
  const table = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    table[b] = createHash('sha256').update(Buffer.concat([Buffer.from(GEAR_SEED, 'ascii'), Buffer.from([b])])).digest().readInt32BE(0);
  }
  return table;
})();

function topBitsMask(bits: number): number {
  return bits <= 0 ? 0 : (0xffffffff << (32 - bits)) | 0;
}

interface Masks {
  small: number;
  large: number;
}
const maskCache = new WeakMap<ChunkParams, Masks>();

export function masksFor(p: ChunkParams): Masks {
  let m = maskCache.get(p);
  if (!m) {
    const bits = Math.round(Math.log2(p.avgSize));
    if (2 ** bits !== p.avgSize || !(p.minSize > 0 && p.minSize <= p.avgSize && p.avgSize <= p.maxSize)) {
      throw new BugError(`invalid chunk params ${JSON.stringify(p)}`);
    }
    m = { small: topBitsMask(bits + NORMALIZATION), large: topBitsMask(bits - NORMALIZATION) };
    maskCache.set(p, m);
  }
  return m;
}

/**
 * Length of the chunk starting at `start`, looking at bytes [start, end). With `final` (the stream ends at `end`), the
 * remaining bytes form the last chunk if no cut is found; without it, -1 means "undecided: more bytes needed".
 * `scanned`: the first `scanned` bytes are known to hold no cut (an earlier undecided call); scanning resumes there.
 */
export function findCut(buf: Uint8Array, start: number, end: number, p: ChunkParams, final = true, scanned = 0): number {
  const n = end - start;
  if (n <= p.minSize) return final || n >= p.maxSize ? n : -1;
  const { small, large } = masksFor(p);
  const limit = start + Math.min(n, p.maxSize);
  const normal = Math.min(limit, start + p.avgSize);
  const G = GEAR;
  const from = Math.max(p.minSize, scanned);
  let i = start + Math.max(0, from - WINDOW);
  const minEnd = start + from;
  let h = 0;
  for (; i < minEnd; i++) h = ((h << 1) + G[buf[i]]) | 0;
  // Unrolled by 4: h advances 4 bytes at once (short dependency chain); the intermediate hashes are only tested.
  let mask = small;
  let stop = normal;
  for (let phase = 0; phase < 2; phase++) {
    for (; i + 4 <= stop; i += 4) {
      const g0 = G[buf[i]];
      const g1 = G[buf[i + 1]];
      const g2 = G[buf[i + 2]];
      const g3 = G[buf[i + 3]];
      const h1 = ((h << 1) + g0) | 0;
      const h2 = ((h << 2) + (g0 << 1) + g1) | 0;
      const h3 = ((h << 3) + (g0 << 2) + (g1 << 1) + g2) | 0;
      h = ((h << 4) + (g0 << 3) + (g1 << 2) + (g2 << 1) + g3) | 0;
      if ((h1 & mask) === 0) return i + 1 - start;
      if ((h2 & mask) === 0) return i + 2 - start;
      if ((h3 & mask) === 0) return i + 3 - start;
      if ((h & mask) === 0) return i + 4 - start;
    }
    for (; i < stop; i++) {
      h = ((h << 1) + G[buf[i]]) | 0;
      if ((h & mask) === 0) return i + 1 - start;
    }
    mask = large;
    stop = limit;
  }
  return final || n >= p.maxSize ? limit - start : -1;
}

/** Chunk lengths of a whole buffer. */
export function chunkLengths(buf: Uint8Array, p: ChunkParams): number[] {
  const out: number[] = [];
  for (let off = 0; off < buf.length; ) {
    const len = findCut(buf, off, buf.length, p);
    out.push(len);
    off += len;
  }
  return out;
}

/**
 * Push-style chunker. `push(data)` returns the chunks completed so far, `end()` the last one. Chunks lying inside a pushed
 * buffer are zero-copy subarrays of it (so never reuse or overwrite a pushed buffer while its chunks are alive). The
 * chunk straddling two pushes, and those of `end()`, are made from the undecided tail: copies by default; with
 * `tailViews`, views of the chunker's own buffers, valid until the next push() or end() (for a consumer that is done
 * with each chunk before feeding more, as a backup is: no copy of up to maxSize per read). Memory: one maxSize buffer
 * holding the undecided tail (two with `tailViews`, used in turn).
 */
export class Chunker {
  private pending: Buffer;
  /** With tailViews: the other tail buffer, filled while chunks viewing `pending` may still be in use. */
  private spare: Buffer | null;
  private fill = 0;
  /** The pending bytes were scanned without finding a cut. */
  private scanned = 0;

  constructor(
    readonly params: ChunkParams,
    private readonly opts: { tailViews?: boolean } = {},
  ) {
    masksFor(params);
    this.pending = Buffer.allocUnsafe(params.maxSize);
    this.spare = opts.tailViews ? Buffer.allocUnsafe(params.maxSize) : null;
  }

  private tailChunk(from: number, to: number): Buffer {
    const view = this.pending.subarray(from, to);
    return this.spare ? view : Buffer.from(view);
  }

  push(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const p = this.params;
    let off = 0;
    if (this.fill > 0) {
      // The tail held no decidable cut, so the straddling chunk ends inside `data`, or is still undecided.
      const take = Math.min(p.maxSize - this.fill, data.length);
      data.copy(this.pending, this.fill, 0, take);
      const len = findCut(this.pending, 0, this.fill + take, p, false, this.scanned);
      if (len < 0) {
        this.fill += take;
        this.scanned = this.fill;
        return out;
      }
      if (len <= this.fill) throw new BugError('chunker: cut inside an undecided tail');
      out.push(this.tailChunk(0, len));
      if (this.spare) [this.pending, this.spare] = [this.spare, this.pending]; // the new tail must not overwrite that chunk
      off = len - this.fill;
      this.fill = 0;
    }
    while (off < data.length) {
      const len = findCut(data, off, data.length, p, false);
      if (len < 0) break;
      out.push(data.subarray(off, off + len));
      off += len;
    }
    if (off < data.length) {
      data.copy(this.pending, 0, off);
      this.fill = data.length - off;
      this.scanned = this.fill;
    }
    return out;
  }

  end(): Buffer[] {
    const out: Buffer[] = [];
    for (let off = 0; off < this.fill; ) {
      const len = findCut(this.pending, off, this.fill, this.params, true, off === 0 ? this.scanned : 0);
      out.push(this.tailChunk(off, off + len));
      off += len;
    }
    this.fill = 0;
    this.scanned = 0;
    return out;
  }
}

/** Chunks of a readable byte stream, in order. */
export async function* chunkStream(source: Readable | AsyncIterable<Buffer>, params: ChunkParams): AsyncGenerator<Buffer> {
  const chunker = new Chunker(params);
  for await (const data of source as AsyncIterable<Buffer>) yield* chunker.push(data);
  yield* chunker.end();
}

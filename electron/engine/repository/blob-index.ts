/**
 * The blob index: which pack holds each blob, at which offset. Built from index/<packId>.idx files (one per pack,
 * sealed with the writer's seal key, so a write-only machine can read them and keep deduplicating). Sealed bytes are
 * optionally cached in a local folder: .idx files never change once written, so a cached copy of the same name is reused.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { RempartError } from '../base/errors.js';
import { open, seal } from '../content/hashing.js';
import type { BlobStore } from './blob-store.js';
import { indexPath } from './pack-builder.js';
import type { Codec, IndexEntry, PackIndexFile } from './types.js';

export const INDEX_DIR = 'index';

export interface BlobLocation {
  packId: string;
  packSize: number;
  entry: IndexEntry;
}

export function sealIndex(sealKey: Buffer, idx: PackIndexFile): Buffer {
  return seal(sealKey, Buffer.from(JSON.stringify(idx)));
}

export function openIndex(sealKey: Buffer, sealed: Buffer, path: string): PackIndexFile {
  let v: PackIndexFile;
  try {
    v = JSON.parse(open(sealKey, sealed).toString('utf8')) as PackIndexFile;
  } catch (err) {
    throw new RempartError('DATA_CORRUPT', `${path}: index file does not authenticate or parse`, { cause: err, details: { path } });
  }
  if (!v || typeof v.pack?.id !== 'string' || !Array.isArray(v.blobs) || !v.blobs.every(validEntry)) {
    throw new RempartError('DATA_CORRUPT', `${path}: index file is malformed`, { details: { path } });
  }
  return v;
}

/**
 * Read-only view of the packs of an index: each PackIndexFile is rebuilt on demand (check and prune read them; backups
 * and restores only look blobs up).
 */
export interface PackView {
  readonly size: number;
  has(packId: string): boolean;
  get(packId: string): PackIndexFile | undefined;
  keys(): IterableIterator<string>;
  values(): IterableIterator<PackIndexFile>;
}

const CODECS: readonly Codec[] = ['raw', 'brotli', 'zstd'];
const CODEC_NO: Record<string, number> = { raw: 0, brotli: 1, zstd: 2 };
const ID_BYTES = 32;
const HEX_ID = /^[0-9a-f]{64}$/;

function isU32(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffffffff;
}

/** The entries of an .idx that this index can hold (what openIndex accepts). */
export function validEntry(e: IndexEntry): boolean {
  return typeof e?.id === 'string' && HEX_ID.test(e.id) && e.codec in CODEC_NO && isU32(e.offset) && isU32(e.length) && isU32(e.rawLength);
}

/**
 * Which pack holds each blob, in flat typed arrays rather than one JS object per blob: about 90 bytes per blob instead of
 * about 240 (a shop's years of history are millions of blobs). Every entry of every pack is kept, in pack order (a pack's
 * entries are one range); lookups go through an open-addressing table of entry numbers keyed by the id's first bytes (ids
 * are keyed hashes, uniformly spread). A blob stored in two packs is found in the first one added.
 */
export class BlobIndex {
  private ids = Buffer.alloc(0);
  private codecs = new Uint8Array(0);
  private offsets = new Uint32Array(0);
  private lengths = new Uint32Array(0);
  private rawLengths = new Uint32Array(0);
  private packOf = new Uint32Array(0);
  private entries = 0;
  /** Entry number + 1 per slot, 0 when empty; a power of two, at most half full. */
  private table = new Int32Array(1024);
  private distinct = 0;
  private readonly packList: { meta: PackIndexFile['pack']; first: number; count: number }[] = [];
  private readonly packNo = new Map<string, number>();
  private readonly scratch = Buffer.alloc(ID_BYTES);
  /** .idx files that could not be read (reported by check; their packs are not deduplicated against). */
  readonly unreadable: { path: string; message: string }[] = [];

  readonly packs: PackView = (() => {
    const self = this;
    return {
      get size() {
        return self.packNo.size;
      },
      has: (packId: string) => self.packNo.has(packId),
      get: (packId: string) => {
        const n = self.packNo.get(packId);
        return n === undefined ? undefined : self.packFile(n);
      },
      keys: () => self.packNo.keys(),
      *values() {
        for (const n of self.packNo.values()) yield self.packFile(n);
      },
    };
  })();

  /** Distinct blobs. */
  get size(): number {
    return this.distinct;
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  /** The pack holding a blob (no object made: a backup asks this for every blob a snapshot names). */
  packIdOf(id: string): string | undefined {
    const e = this.find(id);
    return e < 0 ? undefined : this.packList[this.packOf[e]].meta.id;
  }

  get(id: string): BlobLocation | undefined {
    const e = this.find(id);
    if (e < 0) return undefined;
    const p = this.packList[this.packOf[e]];
    return { packId: p.meta.id, packSize: p.meta.size, entry: { id, ...this.entryAt(e) } };
  }

  addPack(idx: PackIndexFile): void {
    if (this.packNo.has(idx.pack.id)) return;
    const n = this.packList.length;
    const first = this.entries;
    const blobs = idx.blobs.filter(validEntry);
    this.reserve(first + blobs.length);
    for (const b of blobs) {
      const e = this.entries++;
      this.ids.write(b.id, e * ID_BYTES, ID_BYTES, 'hex');
      this.codecs[e] = CODEC_NO[b.codec];
      this.offsets[e] = b.offset;
      this.lengths[e] = b.length;
      this.rawLengths[e] = b.rawLength;
      this.packOf[e] = n;
      this.insert(e);
    }
    this.packList.push({ meta: idx.pack, first, count: blobs.length });
    this.packNo.set(idx.pack.id, n);
  }

  /** Forgets packs (after prune); blobs also held by another pack point there. */
  removePacks(ids: Iterable<string>): void {
    const gone = new Set(ids);
    const kept = this.packList.filter((p) => !gone.has(p.meta.id)).map((p) => this.packFile(this.packNo.get(p.meta.id)!));
    this.entries = 0;
    this.distinct = 0;
    this.table = new Int32Array(1024);
    this.packList.length = 0;
    this.packNo.clear();
    for (const idx of kept) this.addPack(idx);
  }

  private entryAt(e: number): Omit<IndexEntry, 'id'> {
    return { codec: CODECS[this.codecs[e]], offset: this.offsets[e], length: this.lengths[e], rawLength: this.rawLengths[e] };
  }

  private packFile(n: number): PackIndexFile {
    const p = this.packList[n];
    const blobs: IndexEntry[] = [];
    for (let e = p.first; e < p.first + p.count; e++) {
      blobs.push({ id: this.ids.toString('hex', e * ID_BYTES, (e + 1) * ID_BYTES), ...this.entryAt(e) });
    }
    return { pack: p.meta, blobs };
  }

  /** The entry number of a blob id, or -1. */
  private find(id: string): number {
    if (id.length !== 2 * ID_BYTES || this.scratch.write(id, 'hex') !== ID_BYTES) return -1;
    const mask = this.table.length - 1;
    for (let slot = this.scratch.readUInt32LE(0) & mask; ; slot = (slot + 1) & mask) {
      const v = this.table[slot];
      if (v === 0) return -1;
      if (this.ids.compare(this.scratch, 0, ID_BYTES, (v - 1) * ID_BYTES, v * ID_BYTES) === 0) return v - 1;
    }
  }

  /** Adds entry e to the table unless its id is already there (the first pack added keeps the blob). */
  private insert(e: number): void {
    if (2 * (this.distinct + 1) > this.table.length) this.rehash(this.table.length * 2);
    const mask = this.table.length - 1;
    const at = e * ID_BYTES;
    for (let slot = this.ids.readUInt32LE(at) & mask; ; slot = (slot + 1) & mask) {
      const v = this.table[slot];
      if (v === 0) {
        this.table[slot] = e + 1;
        this.distinct++;
        return;
      }
      if (this.ids.compare(this.ids, at, at + ID_BYTES, (v - 1) * ID_BYTES, v * ID_BYTES) === 0) return;
    }
  }

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size);
    const mask = size - 1;
    for (const v of old) {
      if (v === 0) continue;
      let slot = this.ids.readUInt32LE((v - 1) * ID_BYTES) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = v;
    }
  }

  /** Room for `entries` entries (capacity doubles). */
  private reserve(entries: number): void {
    if (entries <= this.codecs.length) return;
    const cap = Math.max(entries, 2 * this.codecs.length, 1024);
    const grow = <T extends Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    const ids = Buffer.allocUnsafeSlow(cap * ID_BYTES);
    this.ids.copy(ids);
    this.ids = ids;
    this.codecs = grow(this.codecs, (n) => new Uint8Array(n));
    this.offsets = grow(this.offsets, (n) => new Uint32Array(n));
    this.lengths = grow(this.lengths, (n) => new Uint32Array(n));
    this.rawLengths = grow(this.rawLengths, (n) => new Uint32Array(n));
    this.packOf = grow(this.packOf, (n) => new Uint32Array(n));
  }

  /** Loads every index/*.idx of the store (through the cache folder when given). */
  static async load(store: BlobStore, sealKey: Buffer, cacheDir?: string): Promise<BlobIndex> {
    const index = new BlobIndex();
    const files = (await store.list(INDEX_DIR)).filter((f) => f.path.endsWith('.idx'));
    const cache = cacheDir ? join(cacheDir, 'index') : undefined;
    if (cache) await fsp.mkdir(cache, { recursive: true }).catch(() => undefined);
    const loaded = await mapLimit(files, 8, async (f) => {
      const name = f.path.slice(INDEX_DIR.length + 1);
      const parse = (sealed: Buffer) => {
        const idx = openIndex(sealKey, sealed, f.path);
        if (indexPath(idx.pack.id) !== f.path) throw new RempartError('DATA_CORRUPT', `${f.path}: names pack ${idx.pack.id}`);
        return idx;
      };
      const cacheFile = cache ? join(cache, name) : undefined;
      try {
        try {
          return parse(await readCached(store, f.path, f.size, cacheFile));
        } catch (err) {
          if (!cacheFile) throw err;
          await fsp.rm(cacheFile, { force: true }); // a damaged cached copy: fall back to the repository's file
          return parse(await readCached(store, f.path, f.size, cacheFile));
        }
      } catch (err) {
        index.unreadable.push({ path: f.path, message: (err as Error).message });
        return null;
      }
    });
    for (const idx of loaded) if (idx) index.addPack(idx);
    if (cache) await dropStaleCacheFiles(cache, new Set(files.map((f) => f.path.slice(INDEX_DIR.length + 1))));
    return index;
  }
}

/** Removes cached copies of .idx files the repository no longer has (pruned packs). */
async function dropStaleCacheFiles(cache: string, keep: Set<string>): Promise<void> {
  const names = await fsp.readdir(cache).catch(() => [] as string[]);
  for (const name of names) if (name.endsWith('.idx') && !keep.has(name)) await fsp.rm(join(cache, name), { force: true });
}

async function readCached(store: BlobStore, path: string, size: number, cacheFile?: string): Promise<Buffer> {
  if (cacheFile) {
    const cached = await fsp.readFile(cacheFile).catch(() => null);
    if (cached && cached.length === size) return cached;
  }
  const buf = await store.read(path);
  if (cacheFile) {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await fsp
      .writeFile(tmp, buf)
      .then(() => fsp.rename(tmp, cacheFile))
      .catch(() => undefined);
  }
  return buf;
}

/** Runs fn over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

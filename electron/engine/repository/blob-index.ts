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
import type { IndexEntry, PackIndexFile } from './types.js';

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
  if (!v || typeof v.pack?.id !== 'string' || !Array.isArray(v.blobs)) {
    throw new RempartError('DATA_CORRUPT', `${path}: index file is malformed`, { details: { path } });
  }
  return v;
}

export class BlobIndex {
  private readonly blobs = new Map<string, BlobLocation>();
  readonly packs = new Map<string, PackIndexFile>();
  /** .idx files that could not be read (reported by check; their packs are not deduplicated against). */
  readonly unreadable: { path: string; message: string }[] = [];

  get size(): number {
    return this.blobs.size;
  }

  has(id: string): boolean {
    return this.blobs.has(id);
  }

  get(id: string): BlobLocation | undefined {
    return this.blobs.get(id);
  }

  addPack(idx: PackIndexFile): void {
    this.packs.set(idx.pack.id, idx);
    for (const entry of idx.blobs) {
      if (!this.blobs.has(entry.id)) this.blobs.set(entry.id, { packId: idx.pack.id, packSize: idx.pack.size, entry });
    }
  }

  /** Forgets packs (after prune); blobs also held by another pack point there. */
  removePacks(ids: Iterable<string>): void {
    for (const id of ids) this.packs.delete(id);
    this.blobs.clear();
    for (const idx of this.packs.values()) this.addPack(idx);
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

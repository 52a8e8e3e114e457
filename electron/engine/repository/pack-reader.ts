/**
 * Reads blobs out of packs by random access: only the 64 KiB age chunks around a blob are fetched and decrypted.
 * Small blobs are read through 1 MiB plaintext windows kept in a small LRU, so restoring a file's consecutive chunks
 * reads and decrypts each part of a pack once. The file key of recently used packs is kept (one X25519 unwrap per
 * pack). Every blob is decoded and its keyed id recomputed: a mismatch is DATA_CORRUPT naming the pack.
 */
import { RempartError } from '../base/errors.js';
import { decrypt, openPayload, PayloadReader, type ReadAt } from '../content/age/index.js';
import { decompressBlob } from '../content/compression.js';
import { blobId } from '../content/hashing.js';
import { isNotFound, type BlobStore } from './blob-store.js';
import type { BlobLocation } from './blob-index.js';
import { packPath } from './pack-builder.js';
import type { IndexEntry } from './types.js';

const MAX_OPEN_PACKS = 32;
export const READ_WINDOW = 1024 * 1024;
const MAX_WINDOWS = 8;

export function packError(packId: string, err: unknown, what: string): RempartError {
  const path = packPath(packId);
  if (isNotFound(err) || (err instanceof RempartError && err.code === 'DATA_MISSING')) {
    return new RempartError('DATA_MISSING', `${path}: pack is missing`, { cause: err, details: { path, pack: packId } });
  }
  if (err instanceof RempartError && err.code !== 'DATA_CORRUPT' && err.code !== 'WRONG_PASSPHRASE') return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new RempartError('DATA_CORRUPT', `${path}: ${what}: ${msg}`, { cause: err, details: { path, pack: packId } });
}

export class PackReader {
  private readonly open = new Map<string, Promise<PayloadReader>>();
  private readonly windows = new Map<string, Promise<{ start: number; data: Buffer }>>();

  constructor(
    private readonly store: BlobStore,
    private readonly identity: string,
    private readonly idKey: Buffer,
  ) {}

  private readAt(path: string): ReadAt {
    return (offset, length) => (length === 0 ? Promise.resolve(Buffer.alloc(0)) : this.store.read(path, { start: offset, end: offset + length - 1 }));
  }

  private payload(packId: string, packSize: number): Promise<PayloadReader> {
    let p = this.open.get(packId);
    if (p) {
      this.open.delete(packId); // LRU: move to the end
      this.open.set(packId, p);
      return p;
    }
    p = openPayload(this.readAt(packPath(packId)), packSize, [{ type: 'x25519', identity: this.identity }]);
    this.open.set(packId, p);
    p.catch(() => this.open.delete(packId));
    while (this.open.size > MAX_OPEN_PACKS) this.open.delete(this.open.keys().next().value as string);
    return p;
  }

  /** The stored bytes of a blob (still encoded by its codec), not verified. */
  async readStored(loc: BlobLocation): Promise<Buffer> {
    const { entry, packId } = loc;
    const start = entry.offset;
    const end = entry.offset + entry.length;
    try {
      const key = `${packId}:${Math.floor(start / READ_WINDOW)}`;
      const cached = this.windows.get(key);
      const hit = cached && (await cached.catch(() => null));
      if (hit && end <= hit.start + hit.data.length) return hit.data.subarray(start - hit.start, end - hit.start);
      const reader = await this.payload(packId, loc.packSize);
      if (entry.length >= READ_WINDOW / 2) return await reader.read(start, end);
      const wStart = Math.floor(start / READ_WINDOW) * READ_WINDOW;
      const wEnd = Math.min(reader.plaintextSize, Math.max(end, wStart + READ_WINDOW));
      // Concurrent readers of the same window share one read.
      const loading = reader.read(wStart, wEnd).then((data) => ({ start: wStart, data }));
      this.windows.delete(key);
      this.windows.set(key, loading);
      while (this.windows.size > MAX_WINDOWS) this.windows.delete(this.windows.keys().next().value as string);
      let window: { start: number; data: Buffer };
      try {
        window = await loading;
      } catch {
        this.windows.delete(key);
        return await reader.read(start, end); // a damaged chunk elsewhere in the window must not hide an intact blob
      }
      return window.data.subarray(start - window.start, end - window.start);
    } catch (err) {
      this.forget(packId);
      throw packError(packId, err, `cannot read blob ${entry.id}`);
    }
  }

  /** The plaintext of a blob, decoded and verified against its id. */
  async readBlob(loc: BlobLocation): Promise<Buffer> {
    return this.verify(loc.packId, loc.entry, await this.readStored(loc));
  }

  /** Decodes stored bytes and checks length and keyed id. */
  async verify(packId: string, entry: IndexEntry, stored: Buffer): Promise<Buffer> {
    let plain: Buffer;
    try {
      plain = await decompressBlob(entry.codec, stored, entry.rawLength);
    } catch (err) {
      throw packError(packId, err, `blob ${entry.id} does not decode (${entry.codec})`);
    }
    if (plain.length !== entry.rawLength || blobId(this.idKey, plain) !== entry.id) {
      throw new RempartError('DATA_CORRUPT', `${packPath(packId)}: blob ${entry.id} does not match its id`, {
        details: { path: packPath(packId), pack: packId, blob: entry.id },
      });
    }
    return plain;
  }

  /** Reads and decrypts a whole pack (check --read-data, repack). */
  async readWholePack(packId: string): Promise<{ file: Buffer; zip: Buffer }> {
    let file: Buffer;
    try {
      file = await this.store.read(packPath(packId));
    } catch (err) {
      throw packError(packId, err, 'cannot read pack');
    }
    try {
      return { file, zip: await decrypt(file, [{ type: 'x25519', identity: this.identity }]) };
    } catch (err) {
      throw packError(packId, err, 'pack does not decrypt');
    }
  }

  forget(packId: string): void {
    this.open.delete(packId);
    for (const key of [...this.windows.keys()]) if (key.startsWith(`${packId}:`)) this.windows.delete(key);
  }
}

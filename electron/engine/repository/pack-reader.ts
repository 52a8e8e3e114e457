/**
 * Reads blobs out of packs by random access: only the 64 KiB age chunks covering a blob are fetched and decrypted.
 * The file key of recently used packs is kept (one X25519 unwrap per pack, not per blob). Every blob is decoded and
 * its keyed id recomputed: a mismatch is DATA_CORRUPT naming the pack, never silently wrong data.
 */
import { brotliDecompressSync } from 'node:zlib';
import { RempartError } from '../base/errors.js';
import { decrypt, openPayload, PayloadReader, type ReadAt } from '../content/age/index.js';
import { blobId } from '../content/hashing.js';
import { isNotFound, type BlobStore } from './blob-store.js';
import type { BlobLocation } from './blob-index.js';
import { packPath } from './pack-builder.js';
import type { Codec, IndexEntry } from './types.js';

const MAX_OPEN_PACKS = 32;

export function decodeBlob(codec: Codec, data: Buffer): Buffer {
  if (codec === 'raw') return data;
  if (codec === 'brotli') return brotliDecompressSync(data);
  throw new RempartError('DATA_CORRUPT', `unknown codec ${String(codec)}`);
}

function packError(packId: string, err: unknown, what: string): RempartError {
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
    try {
      const reader = await this.payload(packId, loc.packSize);
      return await reader.read(entry.offset, entry.offset + entry.length);
    } catch (err) {
      this.open.delete(packId);
      throw packError(packId, err, `cannot read blob ${entry.id}`);
    }
  }

  /** The plaintext of a blob, decoded and verified against its id. */
  async readBlob(loc: BlobLocation): Promise<Buffer> {
    return this.verify(loc.packId, loc.entry, await this.readStored(loc));
  }

  /** Decodes stored bytes and checks length and keyed id. */
  verify(packId: string, entry: IndexEntry, stored: Buffer): Buffer {
    let plain: Buffer;
    try {
      plain = decodeBlob(entry.codec, stored);
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
  }
}

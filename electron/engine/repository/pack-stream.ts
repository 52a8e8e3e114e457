/**
 * Reads a pack ONCE, front to back, through `store.openRead` (a local file or a WebDAV GET body): the ciphertext is
 * optionally hashed, decrypted chunk by chunk, and the stored bytes of the wanted index entries are handed out in offset
 * order (no zip parsing: the index gives the offsets). Memory: the plaintext chunks spanning the current entry only.
 * A read or decryption failure does not throw: it is returned with the number of entries handed out before it, so the
 * caller can report it (check) or fall back to random access for the rest (restore). Errors thrown by `onBlob` propagate.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { freeNow } from '../base/buffers.js';
import { RempartError } from '../base/errors.js';
import { SequentialDecryptor } from '../content/age/index.js';
import type { BlobStore } from './blob-store.js';
import { packPath } from './pack-builder.js';
import { packError } from './pack-reader.js';
import type { IndexEntry } from './types.js';

export interface PackWalk {
  /** sha256 (hex) of the whole pack file; null unless asked for and the file was read to its end. */
  sha256: string | null;
  /** Ciphertext bytes read. */
  bytesRead: number;
  /** How many of the wanted entries were handed to onBlob (in order). */
  delivered: number;
  /** The first read or decryption failure, as a RempartError naming the pack; null when the walk completed. */
  error: RempartError | null;
}

export interface WalkOptions {
  /** Hash the whole file (reads it to the end even after a decryption failure). */
  hash?: boolean;
  /**
   * The `stored` buffers handed to onBlob are used only until its promise settles (copied, not kept): the decrypted
   * chunks behind them are freed as soon as the walk moves past them, and so is each piece read from the store once
   * hashed and decrypted (when it is the only view of its memory), not at the next GC (where the runtime can).
   */
  recycle?: boolean;
  signal?: AbortSignal;
}

/** Wraps an error thrown by the caller's onBlob so that it is not taken for a read failure. */
class CallerError {
  constructor(readonly inner: unknown) {}
}

/** `entries` must be sorted by offset, without duplicates. */
export async function walkPack(
  store: BlobStore,
  identity: string,
  packId: string,
  entries: readonly IndexEntry[],
  onBlob: (entry: IndexEntry, stored: Buffer) => Promise<void> | void,
  opts: WalkOptions = {},
): Promise<PackWalk> {
  const path = packPath(packId);
  const hash = opts.hash ? createHash('sha256') : null;
  const result: PackWalk = { sha256: null, bytesRead: 0, delivered: 0, error: null };
  const dec = new SequentialDecryptor([{ type: 'x25519', identity }]);
  let pending: Buffer[] = [];
  let pendingStart = 0; // plaintext offset of pending[0]
  let plainEnd = 0; // plaintext bytes received so far
  // With `recycle`, a blob spanning decrypted chunks is gathered into this one buffer (grown to the largest such blob)
  // rather than a new one each time: onBlob copies it before its promise settles, and the next blob waits for that.
  let scratch: Buffer | null = null;

  const extract = (start: number, end: number): Buffer => {
    let pos = pendingStart;
    let i = 0;
    while (pos + pending[i].length <= start) pos += pending[i++].length;
    if (end <= pos + pending[i].length) return pending[i].subarray(start - pos, end - pos);
    let out: Buffer;
    if (opts.recycle) {
      if (!scratch || scratch.length < end - start) scratch = Buffer.allocUnsafeSlow(Math.max(end - start, 256 * 1024));
      out = scratch.subarray(0, end - start);
    } else out = Buffer.allocUnsafe(end - start);
    let written = 0;
    while (written < out.length) {
      const from = Math.max(0, start - pos);
      const to = Math.min(pending[i].length, end - pos);
      written += pending[i].copy(out, written, from, to);
      pos += pending[i++].length;
    }
    return out;
  };

  const take = async (chunks: Buffer[]): Promise<void> => {
    for (const c of chunks) {
      pending.push(c);
      plainEnd += c.length;
      while (result.delivered < entries.length) {
        const e = entries[result.delivered];
        if (e.offset + e.length > plainEnd) break;
        const stored = e.length === 0 ? Buffer.alloc(0) : extract(e.offset, e.offset + e.length);
        result.delivered++;
        try {
          await onBlob(e, stored);
        } catch (err) {
          throw new CallerError(err);
        }
      }
      const keepFrom = result.delivered < entries.length ? entries[result.delivered].offset : plainEnd;
      let drop = 0;
      while (drop < pending.length && pendingStart + pending[drop].length <= keepFrom) pendingStart += pending[drop++].length;
      if (drop > 0) {
        if (opts.recycle) for (let i = 0; i < drop; i++) freeNow(pending[i]);
        pending = pending.slice(drop);
      }
    }
  };
  const done = () => !hash && result.delivered >= entries.length;

  let stream: Readable;
  try {
    stream = await store.openRead(path, { signal: opts.signal });
  } catch (err) {
    result.error = packError(packId, err, 'cannot read pack');
    return result;
  }
  try {
    let complete = true;
    try {
      for await (const chunk of stream) {
        if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'cancelled');
        const buf = chunk as Buffer;
        hash?.update(buf);
        result.bytesRead += buf.length;
        if (result.error) {
          if (opts.recycle) freeNow(buf);
          continue; // keep hashing the rest of a damaged pack
        }
        let plain: Buffer[];
        try {
          plain = await dec.push(buf); // the decryptor copies what it keeps (a partial chunk)
          if (opts.recycle) freeNow(buf);
        } catch (err) {
          result.error = packError(packId, err, 'pack does not decrypt');
          if (!hash) break;
          continue;
        }
        await take(plain);
        if (done()) {
          complete = false;
          break;
        }
      }
    } catch (err) {
      if (err instanceof CallerError) throw err.inner;
      if (err instanceof RempartError && err.code === 'CANCELLED') throw err;
      result.error = packError(packId, err, 'cannot read pack'); // a read failure of the store (cut connection, unplugged drive)
      return result;
    }
    if (result.error || !complete) return result;
    let last: Buffer;
    try {
      last = dec.finish();
    } catch (err) {
      result.error = packError(packId, err, 'pack does not decrypt');
      return result;
    }
    try {
      await take([last]);
    } catch (err) {
      throw err instanceof CallerError ? err.inner : err;
    }
    if (hash) result.sha256 = hash.digest('hex');
    if (result.delivered < entries.length) {
      const e = entries[result.delivered];
      result.error = packError(packId, new Error(`blob ${e.id} lies past the end of the pack (${plainEnd} bytes)`), 'truncated');
    }
    return result;
  } finally {
    stream.destroy();
  }
}

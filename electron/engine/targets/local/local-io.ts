/**
 * Helpers of LocalStore: repository path validation (portable to FAT/exFAT/NTFS) and the streaming copy into a file.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { RempartError } from '../../base/errors.js';
import type { WriteOptions } from '../../repository/blob-store.js';

const WRITE_CHUNK = 1024 * 1024;

/**
 * Splits a repository path into segments; refuses what is not a plain relative '/'-separated path, and what FAT,
 * exFAT or Windows cannot store (`<>:"\\|?*`, control characters, a trailing dot or space): fusefat answers such names
 * with EPERM and exfat-fuse with ENOENT, which would otherwise be misread as "drive full" or "missing".
 */
export function toPathParts(path: string): string[] {
  const parts = path.split('/');
  const bad =
    path === '' ||
    path.startsWith('/') ||
    parts.some((p) => p === '' || p === '.' || p === '..' || /[\x00-\x1f<>:"\\|?*]/.test(p) || /[. ]$/.test(p));
  if (bad) throw new RempartError('INVALID_INPUT', `invalid repository path ${JSON.stringify(path)}`);
  return parts;
}

/**
 * Streams `source` into `fh` (each write awaited: natural backpressure), counting; stops early when too long. A streamed
 * source is hashed on the way (its bytes come from elsewhere: the caller's sha256 is checked against them); a Buffer is
 * the caller's own memory, whose sha256 it computed from these very bytes (a pack hashed as it was sealed): hashing the
 * same memory again proves nothing and cost half a CPU second per GB, so `sha256` is null then.
 */
export async function copyInto(
  fh: fsp.FileHandle,
  source: Buffer | Readable,
  size: number,
  path: string,
  opts: WriteOptions,
): Promise<{ written: number; sha256: string | null }> {
  const hash = Buffer.isBuffer(source) ? null : createHash('sha256');
  let written = 0;
  const put = async (chunk: Buffer) => {
    throwIfAborted(opts.signal, path);
    if (written + chunk.length > size) throw sizeMismatch(path, size, written + chunk.length, 'source longer:');
    hash?.update(chunk);
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, written + off);
      if (bytesWritten <= 0) throw Object.assign(new Error('short write: no space left'), { code: 'ENOSPC' });
      off += bytesWritten;
    }
    written += chunk.length;
    opts.onProgress?.(written);
  };
  if (Buffer.isBuffer(source)) {
    for (let i = 0; i < source.length; i += WRITE_CHUNK) await put(source.subarray(i, i + WRITE_CHUNK));
  } else {
    const onAbort = () => source.destroy(cancelled(path, opts.signal?.reason));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of source) await put(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
  return { written, sha256: hash ? hash.digest('hex') : null };
}

export function sizeMismatch(path: string, expected: number, got: number, what = 'source gave'): RempartError {
  return new RempartError('DATA_CORRUPT', `write ${path}: size mismatch, expected ${expected} bytes, ${what} ${got}`, {
    retryable: true,
    details: { path, expected, got },
  });
}

export function cancelled(path: string, reason: unknown): RempartError {
  return new RempartError('CANCELLED', `${path}: cancelled`, { cause: reason });
}

export function throwIfAborted(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted) throw cancelled(path, signal.reason);
}

export function normalizeDir(dir: string): string {
  const d = dir.replace(/^\/+|\/+$/g, '');
  if (d === '' || d === '.') return '';
  if (d.split('/').some((p) => p === '..' || p === '.' || p === '')) throw new RempartError('INVALID_INPUT', `invalid directory ${JSON.stringify(dir)}`);
  return d;
}

/** Recursively deletes files whose name matches and whose mtime is before `beforeMs`; returns how many went. */
export async function removeOldFiles(dir: string, match: (name: string) => boolean, beforeMs: number): Promise<number> {
  let removed = 0;
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removed += await removeOldFiles(p, match, beforeMs);
    else if (match(e.name)) {
      const st = await fsp.stat(p).catch(() => null);
      if (st && st.mtimeMs < beforeMs && (await fsp.rm(p, { force: true }).then(() => true, () => false))) removed++;
    }
  }
  return removed;
}

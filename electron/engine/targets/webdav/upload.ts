/**
 * Atomic, verified upload of one file:
 *   PUT to a unique temp name under `.tmp/` with an explicit Content-Length (bytes counted, hashed and paced by
 *   UploadMeter; idle watchdog re-armed on every chunk) → PROPFIND the temp file: its size, and its MD5 ETag when the
 *   server gives content hashes → MOVE into place with `Overwrite: F` (412 = it exists). The temp file is deleted on
 *   any failure. A server that truncates or overwrites silently (rclone) therefore never leaves a bad file under the
 *   final name. The source is re-opened for each attempt when it is a factory or a Buffer; a one-shot Readable gets
 *   a single attempt.
 */
import { randomBytes } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { RempartError } from '../../base/errors.js';
import { BlobStoreError, type WriteOptions } from '../../repository/blob-store.js';
import type { DavSession } from './dav-session.js';
import type { CollectionCache } from './collections.js';
import { etagMd5, propfindOnce } from './propfind.js';
import { UploadMeter, type TokenBucket } from './throttle.js';
import { hashRemote } from './download.js';

export type WriteSource = Buffer | Readable | (() => Readable);

export interface UploadContext {
  session: DavSession;
  collections: CollectionCache;
  bucket?: TokenBucket;
  /**
   * Learned: this server's ETags are content MD5s (true: one matched what we sent; false: it gives none or gives
   * non-MD5 ones, so MD5 is no longer computed; null: not known yet).
   */
  serverEtagIsMd5: { value: boolean | null };
}

const TMP_DIR = '.tmp';

/** Names that hold their own hash (packs, index files): an identical existing copy counts as success. */
export function isContentAddressed(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^[0-9a-f]{32,}(\.[a-z0-9]+)?$/i.test(base);
}

function tempName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `${TMP_DIR}/${base}.${randomBytes(8).toString('hex')}.part`;
}

/** Zero-copy 1 MiB views of a buffer, so hashing overlaps with sending. */
function* slices(buf: Buffer, size = 1024 * 1024): Generator<Buffer> {
  for (let off = 0; off < buf.length; off += size) yield buf.subarray(off, Math.min(buf.length, off + size));
}

/** A byte stream of 1 MiB views of `buf`, handed out on demand (Readable.from's async iteration costs more). */
function bufferSource(buf: Buffer): Readable {
  const it = slices(buf);
  return new Readable({
    highWaterMark: 1024 * 1024,
    read() {
      const next = it.next();
      this.push(next.done ? null : next.value);
    },
  });
}

function openSource(src: WriteSource, attempt: number): Readable {
  if (Buffer.isBuffer(src)) return bufferSource(src);
  if (typeof src === 'function') return src();
  if (attempt > 1) throw new Error('BUG: one-shot source retried');
  return src;
}

interface Sent {
  /** '' when not computed. */
  md5: string;
  sha256?: string;
  putEtag: string | null;
}

async function putOnce(ctx: UploadContext, tmp: string, src: WriteSource, size: number, opts: WriteOptions, attempt: number): Promise<Sent> {
  const { session } = ctx;
  const source = openSource(src, attempt);
  let guardTouch = () => {};
  let sizeError: RempartError | null = null;
  const meter = new UploadMeter({
    expectedBytes: size,
    bucket: ctx.bucket,
    sha256: opts.sha256 !== undefined,
    md5: ctx.serverEtagIsMd5.value !== false,
    onBytes: (n) => {
      guardTouch();
      opts.onProgress?.(n);
    },
  });
  const body = pipeline(source, meter, (err) => {
    if (err instanceof RempartError) sizeError = err;
  });
  try {
    const { res, guard } = await session.open({
      method: 'PUT',
      path: tmp,
      headers: { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' },
      body,
      transferBytes: size,
      signal: opts.signal,
      onGuard: (g) => {
        guardTouch = () => g.touch();
      },
    });
    guard.done();
    res.body?.resume?.();
    if (meter.bytes !== size) throw new RempartError('INVALID_INPUT', `write: source gave ${meter.bytes} bytes, ${size} declared`);
    if (opts.sha256 && meter.sha256Hex !== opts.sha256.toLowerCase()) {
      throw new RempartError('DATA_CORRUPT', `write: content does not match the declared sha256 (${opts.sha256.slice(0, 12)}…)`);
    }
    return { md5: meter.md5Hex, sha256: opts.sha256?.toLowerCase(), putEtag: res.headers.get('etag') };
  } catch (err) {
    source.destroy();
    if (sizeError) throw sizeError;
    throw err;
  }
}

async function verifyTemp(ctx: UploadContext, tmp: string, size: number, sent: Sent, signal?: AbortSignal): Promise<void> {
  const entries = await propfindOnce(ctx.session, tmp, 0, { signal });
  const e = entries?.[0];
  if (!e || e.collection) {
    throw new RempartError('SERVER_ERROR', `verify ${tmp}: the uploaded file is missing on the server`, { retryable: true });
  }
  if (e.size !== size) {
    throw new RempartError('SERVER_ERROR', `verify ${tmp}: the server stored ${e.size} bytes, ${size} were sent`, { retryable: true });
  }
  if (!sent.md5) return;
  const etags = [etagMd5(sent.putEtag), etagMd5(e.etag)].filter((x): x is string => x !== null);
  if (etags.includes(sent.md5)) ctx.serverEtagIsMd5.value = true;
  else if (ctx.serverEtagIsMd5.value === null && etags.length === 0) ctx.serverEtagIsMd5.value = false; // none, or not hex-32
  else if (ctx.serverEtagIsMd5.value && etags.length > 0) {
    throw new RempartError('SERVER_ERROR', `verify ${tmp}: the server's MD5 (${etags[0]}) differs from what was sent (${sent.md5})`, {
      retryable: true,
    });
  }
}

async function removeQuietly(ctx: UploadContext, path: string): Promise<void> {
  try {
    await ctx.session.send({ method: 'DELETE', path, accept: [404] });
  } catch {
    /* best effort: a stale temp file is harmless and cleaned later */
  }
}

/** Is the file already at `path` the same bytes we sent? (size, then the MD5 ETag, or a streamed hash of it) */
async function sameAsSent(ctx: UploadContext, path: string, size: number, sent: Sent, signal?: AbortSignal): Promise<boolean> {
  const entries = await propfindOnce(ctx.session, path, 0, { signal });
  const e = entries?.[0];
  if (!e || e.collection || e.size !== size) return false;
  const tag = etagMd5(e.etag);
  if (tag && sent.md5 && ctx.serverEtagIsMd5.value) return tag === sent.md5;
  if (sent.sha256) return (await hashRemote(ctx.session, path, 'sha256', signal)) === sent.sha256;
  if (sent.md5) return (await hashRemote(ctx.session, path, 'md5', signal)) === sent.md5;
  return false; // nothing to compare with: not counted as ours
}

async function moveIntoPlace(ctx: UploadContext, tmp: string, path: string, size: number, sent: Sent, opts: WriteOptions): Promise<void> {
  const { session } = ctx;
  await session.call(`write ${path}`, async (attempt) => {
    const r = await session.send({
      method: 'MOVE',
      path: tmp,
      headers: { Destination: session.url(path), Overwrite: opts.overwrite ? 'T' : 'F' },
      signal: opts.signal,
      accept: [404, 412],
    });
    if (r.status === 412) {
      if (isContentAddressed(path) && (await sameAsSent(ctx, path, size, sent, opts.signal))) return;
      throw new BlobStoreError('exists', path);
    }
    if (r.status === 404) {
      // The temp file is gone: on a retry, the previous MOVE most likely succeeded but its answer was lost.
      if (attempt > 1 && (await sameAsSent(ctx, path, size, sent, opts.signal))) return;
      throw new RempartError('SERVER_ERROR', `write ${path}: the uploaded temporary file vanished before MOVE`, { retryable: true });
    }
  }, opts.signal);
}

export async function uploadAtomic(ctx: UploadContext, path: string, src: WriteSource, size: number, opts: WriteOptions = {}): Promise<void> {
  const { session } = ctx;
  if (opts.signal?.aborted) throw new RempartError('CANCELLED', `write ${path}: cancelled`);
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  await ctx.collections.ensure(TMP_DIR, opts.signal);
  await ctx.collections.ensure(parent, opts.signal);
  const tmp = tempName(path);
  // Progress never goes backwards: a retried upload reports again only past the furthest point reached.
  let furthest = 0;
  const onProgress = opts.onProgress;
  const monotonic: WriteOptions = {
    ...opts,
    onProgress: onProgress && ((n: number) => {
      if (n > furthest) onProgress((furthest = n));
    }),
  };
  const oneShot = !Buffer.isBuffer(src) && typeof src !== 'function';
  let moved = false;
  try {
    const sent = await session.call(`write ${path}`, async (attempt) => {
      const s = await putOnce(ctx, tmp, src, size, monotonic, attempt);
      await verifyTemp(ctx, tmp, size, s, opts.signal);
      return s;
    }, opts.signal, oneShot ? { maxAttempts: 1 } : undefined);
    await moveIntoPlace(ctx, tmp, path, size, sent, opts);
    moved = true;
  } catch (err) {
    if (err instanceof BlobStoreError || err instanceof RempartError) throw err;
    throw session.classifyToError(err, `write ${path}`, opts.signal);
  } finally {
    if (!moved) await removeQuietly(ctx, tmp);
  }
}

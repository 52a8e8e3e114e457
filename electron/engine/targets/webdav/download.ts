/**
 * Downloads through `customRequest(GET)` and its body stream (never the client's createReadStream, which swallows
 * errors and hangs forever on a cut). Every response body runs under an idle watchdog. A transient failure mid-body
 * (reset, premature end, stall) re-opens the request from the first missing byte with a Range header, so a cut
 * download resumes and the bytes delivered are exactly the file's; the total length is checked at the end.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { RempartError } from '../../base/errors.js';
import { BlobStoreError, type ReadOptions } from '../../repository/blob-store.js';
import type { DavSession } from './dav-session.js';
import { backoffDelay, sleep } from './retry.js';

interface Window {
  /** Absolute offset of the next byte the reader wants. */
  pos: number;
  /** Absolute last byte wanted (inclusive), or null when unknown (until the first response says). */
  last: number | null;
}

function rangeHeader(w: Window, explicitRange: boolean): Record<string, string> {
  if (!explicitRange && w.pos === 0) return {};
  return { Range: `bytes=${w.pos}-${w.last ?? ''}` };
}

/** Offset of the response's first byte, and the file's total size when the server says. */
function responseSpan(status: number, headers: { get(n: string): string | null }): { first: number; total: number | null } {
  if (status === 206) {
    const m = /bytes\s+(\d+)-(\d+)\/(\d+|\*)/i.exec(headers.get('content-range') ?? '');
    if (!m) throw new RempartError('SERVER_UNSUPPORTED', 'partial response without a usable Content-Range');
    return { first: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) };
  }
  const len = headers.get('content-length');
  return { first: 0, total: len === null ? null : Number(len) };
}

export async function openResumable(session: DavSession, path: string, opts: ReadOptions = {}): Promise<Readable> {
  const op = `read ${path}`;
  const explicitRange = opts.start !== undefined || opts.end !== undefined;
  const w: Window = { pos: opts.start ?? 0, last: opts.end ?? null };
  let etag: string | null = null;
  const policy = session.retry;

  const openAt = async () => {
    const { res, guard } = await session.open({
      method: 'GET',
      path,
      headers: rangeHeader(w, explicitRange),
      // The size is unknown before the answer: budget the deadline for a large pack (the idle watchdog catches stalls).
      transferBytes: w.last !== null ? w.last - w.pos + 1 : 64 * 1024 * 1024,
      signal: opts.signal,
      accept: [404, 416],
    });
    if (res.status === 404) {
      guard.done();
      throw new BlobStoreError('not-found', path);
    }
    if (res.status === 416) {
      guard.done();
      return null; // range starts at or past the end: nothing to read
    }
    const span = responseSpan(res.status, res.headers);
    if (span.total !== null) {
      const lastByte = span.total - 1;
      w.last = w.last === null ? lastByte : Math.min(w.last, lastByte);
    }
    // Apache marks an ETag weak while the file is less than a second old, so compare without the W/ prefix.
    const tag = res.headers.get('etag')?.replace(/^W\//, '') ?? null;
    if (etag && tag && tag !== etag) {
      guard.done();
      throw new RempartError('DATA_CORRUPT', `${op}: the file changed on the server during the download`);
    }
    etag = etag ?? tag;
    return { res, guard, first: span.first };
  };

  // The first request is made now, so "not found", auth and address errors surface from openRead itself.
  let current = await session.call(op, () => openAt(), opts.signal);

  async function* body(): AsyncGenerator<Buffer> {
    let failures = 0;
    for (;;) {
      if (current === null) {
        if (w.last !== null && w.pos <= w.last) throw new RempartError('SERVER_ERROR', `${op}: range not satisfiable at ${w.pos}`);
        return;
      }
      const { res, guard } = current;
      let at = current.first; // absolute offset of the next byte in this body
      try {
        const stream = res.body;
        if (stream) {
          for await (const raw of stream as AsyncIterable<Buffer>) {
            guard.touch();
            let chunk = raw;
            if (at < w.pos) {
              const skip = Math.min(chunk.length, w.pos - at); // a server that ignored Range resends from 0
              at += skip;
              chunk = chunk.subarray(skip);
            }
            if (w.last !== null && w.pos + chunk.length > w.last + 1) chunk = chunk.subarray(0, Math.max(0, w.last + 1 - w.pos));
            at += chunk.length;
            if (chunk.length > 0) {
              w.pos += chunk.length;
              failures = 0;
              guard.pause(); // a slow consumer is not a stalled server
              yield chunk;
              guard.touch();
            }
            if (w.last !== null && w.pos > w.last) break;
          }
        }
        if (w.last !== null && w.pos <= w.last) {
          throw Object.assign(new Error(`premature end of body at byte ${w.pos}`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
        }
        return;
      } catch (err) {
        const c = session.classify(guard.explain(err), opts.signal);
        if (!c.retryable || ++failures >= policy.maxAttempts) {
          throw session.classifyToError(guard.explain(err), `${op} (at byte ${w.pos})`, opts.signal);
        }
        await sleep(session.clock, backoffDelay(policy, failures, c.retryAfterMs), opts.signal);
        current = await session.call(op, () => openAt(), opts.signal);
      } finally {
        guard.done();
        (res.body as { destroy?: () => void } | null)?.destroy?.();
      }
    }
  }
  return Readable.from(body(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** Hash of a remote file, streamed (bounded memory). */
export async function hashRemote(session: DavSession, path: string, algorithm: 'md5' | 'sha256', signal?: AbortSignal): Promise<string> {
  const h = createHash(algorithm);
  for await (const c of await openResumable(session, path, { signal })) h.update(c as Buffer);
  return h.digest('hex');
}

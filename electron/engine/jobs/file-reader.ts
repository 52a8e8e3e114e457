import { open, stat } from 'node:fs/promises';
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { RempartError } from '../base/errors.js';

/**
 * Reads one source file once: streams it through a content-defined chunker, hashes the whole content (sha256) and
 * hands each chunk to `onChunk` (which may wait: that is the backpressure of the pipeline). Compares the file's
 * size and mtime before and after, so the caller can re-read a file that changed while being read.
 */
export interface StreamChunker {
  /** Feeds bytes; returns the chunks that are complete. */
  push(data: Buffer): Buffer[];
  /** End of file: returns the last chunk(s). */
  finish(): Buffer[];
  /** True when push() keeps references to its input until finish() (then reads cannot reuse one buffer). */
  readonly retainsInput?: boolean;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  mode: number;
}

export interface ReadResult {
  sha256: string;
  bytesRead: number;
  before: FileStat;
  after: FileStat | null;
  /** True when size, mtime or identity differ between before and after (or the file vanished after). */
  changed: boolean;
}

const READ_SIZE = 1024 * 1024;

/**
 * Source files are opened with O_NOATIME where the OS has it (Linux), as restic does: a backup must not change the shop's
 * files, and the first read of a file since its last change would otherwise write its access time, a metadata update
 * that waits behind the journal commits of the packs being fsynced (measured: 1.3 s of a 9 s first backup). The kernel
 * allows it only on files the user owns (or to root): elsewhere EPERM, and the file is opened normally.
 */
const O_NOATIME = process.platform === 'linux' ? (fsConstants.O_NOATIME ?? 0) : 0;
const READ_NOATIME = fsConstants.O_RDONLY | O_NOATIME;

function noatimeRefused(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return O_NOATIME !== 0 && (code === 'EPERM' || code === 'EINVAL');
}

function openSourceSync(abs: string): number {
  try {
    return openSync(abs, READ_NOATIME);
  } catch (err) {
    if (noatimeRefused(err)) return openSync(abs, 'r');
    throw err;
  }
}

async function openSource(abs: string) {
  try {
    return await open(abs, READ_NOATIME);
  } catch (err) {
    if (noatimeRefused(err)) return open(abs, 'r');
    throw err;
  }
}

/**
 * One read buffer for a whole backup run, instead of a fresh allocation per read (a gigabyte of short-lived buffers
 * per gigabyte read: page faults, and garbage collections forced by external memory). The contract it implies: a
 * chunk handed to onChunk is valid only until onChunk's promise settles; whoever keeps bytes longer copies them
 * synchronously (the compression pool does). Never shared by two reads at once: one per backup run.
 */
export class ReadScratch {
  private buf: Buffer | null = null;
  /** A buffer of at least `size` bytes (its contents are garbage). */
  take(size: number): Buffer {
    if (!this.buf || this.buf.length < size) this.buf = Buffer.allocUnsafeSlow(Math.max(size, READ_SIZE));
    return this.buf;
  }
}

function pick(st: { size: number; mtimeMs: number; ino: number; dev: number; mode: number }): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev, mode: st.mode & 0o7777 };
}

/** Files up to this size are read synchronously: libuv's pool is busy compressing, and a queued open/read/close would idle the reader. */
export const SYNC_READ_MAX = 512 * 1024;

/** Receives the read that finds a small file's end (nearly always 0 bytes): no buffer per file for it. */
const endProbe = Buffer.allocUnsafeSlow(16 * 1024);

/** Reads a small file at once; null when it has grown too big for that meanwhile (then it is streamed). */
function readSmallSync(abs: string, scratch: ReadScratch | undefined): { data: Buffer; before: FileStat } | null {
  const fd = openSourceSync(abs);
  try {
    const before = pick(fstatSync(fd));
    if (before.size > 2 * SYNC_READ_MAX) return null;
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The first read goes into the scratch buffer (sized for the whole file and one byte more); the read that finds
      // the end goes into a small buffer kept for that, copied only when the file has grown meanwhile.
      const want = Math.max(16 * 1024, before.size - total + 1);
      const first = parts.length === 0;
      const buf = first ? (scratch ? scratch.take(want).subarray(0, want) : Buffer.allocUnsafe(want)) : endProbe;
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      parts.push(first ? buf.subarray(0, n) : Buffer.from(buf.subarray(0, n)));
      total += n;
    }
    return { data: parts.length === 1 ? parts[0] : Buffer.concat(parts), before };
  } finally {
    closeSync(fd);
  }
}

function compare(before: FileStat, after: FileStat | null, bytesRead: number): boolean {
  return (
    after === null ||
    after.size !== before.size ||
    after.mtimeMs !== before.mtimeMs ||
    after.ino !== before.ino ||
    bytesRead !== before.size
  );
}

export async function readFileChunks(
  abs: string,
  chunker: StreamChunker,
  onChunk: (chunk: Buffer) => Promise<void> | void,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void; expectedSize?: number; scratch?: ReadScratch } = {},
): Promise<ReadResult> {
  const { scratch } = opts;
  const small = opts.expectedSize !== undefined && opts.expectedSize <= SYNC_READ_MAX ? readSmallSync(abs, scratch) : null;
  if (small) {
    if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'the backup was cancelled');
    const { data, before } = small;
    const sha256 = createHash('sha256').update(data).digest('hex');
    opts.onBytes?.(data.length);
    for (const c of chunker.push(data)) await onChunk(c);
    for (const c of chunker.finish()) await onChunk(c);
    let after: FileStat | null = null;
    try {
      after = pick(statSync(abs));
    } catch {
      after = null;
    }
    return { sha256, bytesRead: data.length, before, after, changed: compare(before, after, data.length) };
  }
  const fh = await openSource(abs);
  const hash = createHash('sha256');
  let bytesRead = 0;
  let before: FileStat;
  try {
    before = pick(await fh.stat());
    for (;;) {
      if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'the backup was cancelled');
      // chunks are zero-copy views of this buffer, valid until onChunk settles (see ReadScratch)
      const want = Math.min(READ_SIZE, Math.max(64 * 1024, before.size - bytesRead + 1));
      const buf = scratch && !chunker.retainsInput ? scratch.take(want) : Buffer.allocUnsafe(want);
      const { bytesRead: n } = await fh.read(buf, 0, want, null);
      if (n === 0) break;
      const data = n === buf.length ? buf : buf.subarray(0, n);
      hash.update(data);
      bytesRead += n;
      opts.onBytes?.(n);
      for (const c of chunker.push(data)) await onChunk(c);
    }
    for (const c of chunker.finish()) await onChunk(c);
  } finally {
    await fh.close();
  }
  let after: FileStat | null = null;
  try {
    after = pick(await stat(abs));
  } catch {
    after = null;
  }
  return { sha256: hash.digest('hex'), bytesRead, before, after, changed: compare(before, after, bytesRead) };
}

import { open, stat } from 'node:fs/promises';
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

function pick(st: { size: number; mtimeMs: number; ino: number; dev: number; mode: number }): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev, mode: st.mode & 0o7777 };
}

export async function readFileChunks(
  abs: string,
  chunker: StreamChunker,
  onChunk: (chunk: Buffer) => Promise<void> | void,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {},
): Promise<ReadResult> {
  const fh = await open(abs, 'r');
  const hash = createHash('sha256');
  let bytesRead = 0;
  let before: FileStat;
  try {
    before = pick(await fh.stat());
    for (;;) {
      if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'the backup was cancelled');
      // small files get a small buffer: chunks are zero-copy views of it and live until compressed
      const want = Math.min(READ_SIZE, Math.max(64 * 1024, before.size - bytesRead + 1));
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead: n } = await fh.read(buf, 0, want, null);
      if (n === 0) break;
      const data = n === want ? buf : buf.subarray(0, n);
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
  const changed =
    after === null ||
    after.size !== before.size ||
    after.mtimeMs !== before.mtimeMs ||
    after.ino !== before.ino ||
    bytesRead !== before.size;
  return { sha256: hash.digest('hex'), bytesRead, before, after, changed };
}

import type { Readable } from 'node:stream';

/**
 * The storage port: the only thing the repository layer knows about where bytes live.
 * Implemented by targets/local (a folder, a USB drive) and targets/webdav (a WebDAV server).
 * Every implementation must pass ./blob-store-suite.ts against a real backend.
 *
 * Paths are repository-relative, '/'-separated, ASCII, never starting with '/', never containing '..'
 * (e.g. "config.json", "data/3f/3fa9….pack", "snapshots/2026-11-24T19-30-00Z-ab12cd.age").
 */
export interface StoredFile {
  path: string;
  size: number;
}

export interface WriteOptions {
  /** When false (the default), writing onto an existing file fails with BlobStoreError 'exists'. */
  overwrite?: boolean;
  /**
   * Hex sha256 of the whole content, when the caller knows it. A streamed source is checked against it (its bytes come
   * from elsewhere); stores that can verify server-side do so. A Buffer's hash was computed by the caller from the same
   * memory: a store may trust it rather than hash the buffer again.
   */
  sha256?: string;
  signal?: AbortSignal;
  /** Called with the number of bytes sent so far (for progress and bandwidth accounting). */
  onProgress?: (bytesSent: number) => void;
}

export interface ReadOptions {
  /** Inclusive byte range. */
  start?: number;
  end?: number;
  signal?: AbortSignal;
}

export interface SpaceInfo {
  /** Bytes still available, or null when the backend does not say. */
  free: number | null;
  total: number | null;
}

export interface BlobStore {
  /** Human-readable location without credentials ("/media/anne/SAUVEGARDE/Rempart", "https://cloud.example/remote.php/dav/files/anne/Rempart/"). */
  readonly location: string;

  /**
   * Writes a whole file atomically and verified: the content goes to a temporary name, is flushed (fsync / complete
   * PUT with Content-Length), its size (and checksum where available) is checked, then it is renamed / MOVEd into place.
   * A reader never sees a partial file under `path`. With overwrite false, an existing `path` is left untouched and the
   * call fails with BlobStoreError kind 'exists'. `size` is the exact byte length of `data`.
   */
  write(path: string, data: Buffer | Readable | (() => Readable), size: number, opts?: WriteOptions): Promise<void>;

  /**
   * Optional, for stores over a local file system: a temporary file under `dir` (created if needed) that the caller (on any thread) writes
   * itself, flushes to the device and closes, then commits to its final path. Packs are written this way, as they fill,
   * instead of being built in memory first (see TemporaryFile).
   */
  temporaryFile?(dir: string): Promise<TemporaryFile>;

  /** Reads a whole (small) file into memory. Fails with BlobStoreError kind 'not-found' if absent. */
  read(path: string, opts?: ReadOptions): Promise<Buffer>;

  /**
   * Streams a file (or a byte range of it). The stream errors (never hangs) on a cut or stalled connection.
   * Fails with BlobStoreError kind 'not-found' if absent.
   */
  openRead(path: string, opts?: ReadOptions): Promise<Readable>;

  /** Size of a file, or null if it does not exist. */
  stat(path: string): Promise<StoredFile | null>;

  /** All files under a directory prefix (recursive), e.g. list("data") or list("snapshots"). Missing dir = []. */
  list(dir: string): Promise<StoredFile[]>;

  /** Deletes a file; deleting a missing file is not an error. */
  remove(path: string): Promise<void>;

  /** Free and total space, when known (statfs, WebDAV quota props). */
  space(): Promise<SpaceInfo>;

  /**
   * Optional: deletes temporary files left by interrupted writes (kill -9, unplug, network cut) that are older than
   * `olderThanMs`. Called by prune, under the exclusive repository lock. Returns how many were removed.
   */
  sweepTemporary?(olderThanMs: number): Promise<number>;

  /** Releases connections, timers, file handles. */
  close(): Promise<void>;
}

/**
 * A file written in place by its caller. Its writer creates `file` exclusively (it does not exist yet), writes it, flushes
 * it to the device (fsync) and closes it; then `commit` gives it its final name with write()'s guarantees: the size is
 * checked, the file appears whole under `path` or not at all, never over an existing file (BlobStoreError 'exists', the
 * temporary file removed), the directory is synced, a removable drive is checked to still be there. Anything that stops
 * the write: `discard`. A kill -9 leaves the temporary file for sweepTemporary.
 */
export interface TemporaryFile {
  /** Absolute path of the file to create. */
  readonly file: string;
  commit(path: string, size: number, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Removes the temporary file (missing: fine). */
  discard(): Promise<void>;
  /** What write() would report for an error met while writing the file (a full or unplugged drive...). */
  explain(err: unknown, size: number): Promise<unknown>;
}

export type BlobStoreErrorKind = 'not-found' | 'exists';

/** The two storage outcomes callers branch on. Everything else is a RempartError with a code. */
export class BlobStoreError extends Error {
  constructor(
    readonly kind: BlobStoreErrorKind,
    readonly path: string,
    message?: string,
  ) {
    super(message ?? `${kind}: ${path}`);
    this.name = 'BlobStoreError';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof BlobStoreError && err.kind === 'not-found';
}

export function isExists(err: unknown): boolean {
  return err instanceof BlobStoreError && err.kind === 'exists';
}

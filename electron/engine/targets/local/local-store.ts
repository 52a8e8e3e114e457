/**
 * BlobStore over a folder: an internal disk, a NAS share or a USB drive (FAT32 / exFAT through any driver).
 * Writes are atomic and durable: temp file in the same folder, fsync, size (and sha256) check, link/rename into place,
 * directory fsync. On removable media a VolumeGuard checks before and after each write that the drive is still there.
 * Quirks handled are listed in ./README.md.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsc, promises as fsp } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fsErrorToRempart, isUnplugErrno, RempartError } from '../../base/errors.js';
import {
  BlobStoreError,
  type BlobStore,
  type ReadOptions,
  type SpaceInfo,
  type StoredFile,
  type TemporaryFile,
  type WriteOptions,
} from '../../repository/blob-store.js';
import { DRIVE_MARKER_FILE, fsyncDir } from './drive-marker.js';
import { cancelled, copyInto, normalizeDir, removeOldFiles, sizeMismatch, throwIfAborted, toPathParts } from './local-io.js';
import { VolumeGuard } from './volume-guard.js';

/** Packs are ≤ 1 GiB by design; FAT32 cannot hold 4 GiB and fusefat stops at 2 GiB. */
export const MAX_LOCAL_FILE_SIZE = 1024 * 1024 * 1024;
export const TEMP_PREFIX = '.tmp-';
const READ_CHUNK = 1024 * 1024;
/** Below this many free bytes (or the bytes still to write), an EPERM on write means "full" (fusefat). */
const NEARLY_FULL_BYTES = 4 * 1024 * 1024;

export interface LocalStoreOptions {
  /** Root of the removable volume holding `root`; enables the unplug guard. */
  volumeRoot?: string;
  /** Drive id from the enrolment marker; the marker must still carry it before and after each write. */
  expectedDriveId?: string;
  /** Largest file accepted (default and maximum 1 GiB). */
  maxFileSize?: number;
}

export class LocalStore implements BlobStore {
  readonly location: string;
  private readonly guard: VolumeGuard | null;
  private readonly maxFileSize: number;
  /** The repository's folder has been found (or made, by an init's first write): from then on it is never made again. */
  private rootSeen = false;

  constructor(
    readonly root: string,
    opts: LocalStoreOptions = {},
  ) {
    this.location = root;
    this.guard = opts.volumeRoot ? new VolumeGuard(opts.volumeRoot, opts.expectedDriveId) : null;
    this.maxFileSize = Math.min(opts.maxFileSize ?? MAX_LOCAL_FILE_SIZE, MAX_LOCAL_FILE_SIZE);
  }

  async write(path: string, data: Buffer | Readable | (() => Readable), size: number, opts: WriteOptions = {}): Promise<void> {
    const final = this.abs(path);
    if (!Number.isSafeInteger(size) || size < 0) throw new RempartError('INVALID_INPUT', `write ${path}: invalid size ${size}`);
    if (size > this.maxFileSize) {
      throw new RempartError('FILE_TOO_LARGE', `write ${path}: ${size} bytes exceeds the ${this.maxFileSize}-byte limit of this store`, {
        details: { path, size, max: this.maxFileSize },
      });
    }
    throwIfAborted(opts.signal, path);
    await this.guard?.check(`before writing ${path}`);
    if (!opts.overwrite && (await this.exists(final, path))) throw new BlobStoreError('exists', path);
    const dir = dirname(final);
    const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    let fh: fsp.FileHandle | undefined;
    let source: Buffer | Readable | undefined = typeof data === 'function' ? undefined : data;
    try {
      await this.makeDir(dir);
      fh = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o644);
      if (typeof data === 'function') source = data();
      if (source === undefined) throw new RempartError('INVALID_INPUT', `write ${path}: no data`);
      const { written, sha256 } = await copyInto(fh, source, size, path, opts);
      if (written !== size) throw sizeMismatch(path, size, written);
      if (opts.sha256 && sha256 !== null && opts.sha256.toLowerCase() !== sha256) {
        throw new RempartError('DATA_CORRUPT', `write ${path}: sha256 mismatch (expected ${opts.sha256}, got ${sha256})`);
      }
      await fh.sync();
      const onDisk = (await fh.stat()).size;
      if (onDisk !== size) throw sizeMismatch(path, size, onDisk, 'on disk');
      await fh.close();
      fh = undefined;
      throwIfAborted(opts.signal, path);
      await this.guard?.check(`after writing ${path}`);
      await this.place(tmp, final, path, !!opts.overwrite);
      await fsyncDir(dir);
      await this.guard?.check(`after renaming ${path}`);
    } catch (err) {
      await fh?.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      if (source instanceof Readable) source.destroy();
      throw await this.mapError(err, `write ${path}`, size);
    }
  }

  async temporaryFile(dir: string): Promise<TemporaryFile> {
    const parent = this.abs(dir);
    await this.guard?.check(`before writing into ${dir}`);
    try {
      await this.makeDir(parent);
    } catch (err) {
      throw await this.mapError(err, `write into ${dir}`, 0);
    }
    const file = join(parent, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    const discard = () => fsp.rm(file, { force: true }).then(() => undefined, () => undefined);
    return {
      file,
      discard,
      explain: (err, size) => this.mapError(err, `write into ${dir}`, size),
      commit: async (path, size, opts = {}) => {
        const final = this.abs(path);
        try {
          throwIfAborted(opts.signal, path);
          if (size > this.maxFileSize) {
            throw new RempartError('FILE_TOO_LARGE', `write ${path}: ${size} bytes exceeds the ${this.maxFileSize}-byte limit of this store`, {
              details: { path, size, max: this.maxFileSize },
            });
          }
          const onDisk = (await fsp.stat(file)).size;
          if (onDisk !== size) throw sizeMismatch(path, size, onDisk, 'on disk');
          await this.guard?.check(`after writing ${path}`);
          await this.makeDir(dirname(final));
          await this.place(file, final, path, false);
          await fsyncDir(dirname(final));
          await this.guard?.check(`after renaming ${path}`);
        } catch (err) {
          await discard();
          throw await this.mapError(err, `write ${path}`, size);
        }
      },
    };
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Buffer> {
    const file = this.abs(path);
    throwIfAborted(opts.signal, path);
    let fh: fsp.FileHandle | undefined;
    try {
      fh = await fsp.open(file, 'r');
      const fileSize = (await fh.stat()).size;
      const start = opts.start ?? 0;
      const end = Math.min(opts.end ?? fileSize - 1, fileSize - 1);
      const len = Math.max(0, end - start + 1);
      const buf = Buffer.alloc(len);
      let off = 0;
      while (off < len) {
        throwIfAborted(opts.signal, path);
        const { bytesRead } = await fh.read(buf, off, Math.min(len - off, READ_CHUNK), start + off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      this.rootSeen = true;
      return off === len ? buf : buf.subarray(0, off);
    } catch (err) {
      throw await this.mapReadError(err, path);
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  async openRead(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const file = this.abs(path);
    throwIfAborted(opts.signal, path);
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(file, 'r');
      this.rootSeen = true;
    } catch (err) {
      throw await this.mapReadError(err, path);
    }
    const src = fh.createReadStream({ start: opts.start, end: opts.end, highWaterMark: 256 * 1024 });
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    src.on('error', (err) => out.destroy(fsErrorToRempart(err, `read ${path}`)));
    out.on('close', () => src.destroy());
    if (opts.signal) {
      const signal = opts.signal;
      const onAbort = () => out.destroy(cancelled(path, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      out.on('close', () => signal.removeEventListener('abort', onAbort));
    }
    src.pipe(out);
    return out;
  }

  async stat(path: string): Promise<StoredFile | null> {
    try {
      const st = await fsp.stat(this.abs(path));
      this.rootSeen = true;
      return st.isFile() ? { path, size: st.size } : null;
    } catch (err) {
      const mapped = await this.mapReadError(err, path);
      if (mapped instanceof BlobStoreError) return null;
      throw mapped;
    }
  }

  async list(dir: string): Promise<StoredFile[]> {
    const prefix = normalizeDir(dir);
    await this.guard?.check(`listing ${dir}`);
    const out: StoredFile[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fsp.readdir(rel ? this.abs(rel) : this.root, { withFileTypes: true });
        this.rootSeen = true;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw fsErrorToRempart(err, `list ${dir}`);
      }
      for (const e of entries) {
        if (e.name.startsWith(TEMP_PREFIX) || e.name === DRIVE_MARKER_FILE) continue;
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(child);
        else if (e.isFile()) {
          try {
            out.push({ path: child, size: (await fsp.stat(this.abs(child))).size });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fsErrorToRempart(err, `list ${dir}`);
          }
        }
      }
    };
    await walk(prefix);
    return out;
  }

  async remove(path: string): Promise<void> {
    const file = this.abs(path);
    try {
      await fsp.unlink(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        await this.guard?.check(`removing ${path}`);
        return;
      }
      throw fsErrorToRempart(err, `remove ${path}`);
    }
  }

  async space(): Promise<SpaceInfo> {
    let dir = this.guard?.volumeRoot ?? this.root;
    for (;;) {
      try {
        const s = await fsp.statfs(dir);
        // fusefat answers statfs with all zeros: that means "unknown", not "empty and full".
        if (s.blocks === 0) return { free: null, total: null };
        return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const parent = dirname(dir);
        if ((code === 'ENOENT' || code === 'ENOTDIR') && parent !== dir) dir = parent;
        else throw fsErrorToRempart(err, `statfs ${dir}`);
      }
    }
  }

  /**
   * Deletes temp files left by interrupted writes (kill -9, unplug, lazy unmount) older than `olderThanMs`.
   * Not part of the BlobStore port: call it when a run starts, under the repository lock. Returns how many were removed.
   */
  sweepTemporary(olderThanMs: number): Promise<number> {
    return this.sweepTempFiles(olderThanMs);
  }

  async sweepTempFiles(olderThanMs = 60 * 60 * 1000): Promise<number> {
    await this.guard?.check('sweeping temp files');
    return removeOldFiles(this.root, (name) => name.startsWith(TEMP_PREFIX), Date.now() - olderThanMs);
  }

  async close(): Promise<void> {
    /* no handles are kept between calls */
  }

  /** Absolute path of a repository path (validated: see toPathParts). */
  private abs(path: string): string {
    return join(this.root, ...toPathParts(path));
  }

  private async exists(final: string, path: string): Promise<boolean> {
    try {
      await fsp.lstat(final);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw fsErrorToRempart(err, `stat ${path}`);
    }
  }

  /**
   * Moves the temp file into place. overwrite: rename (atomic replace). Otherwise link() fails atomically with EEXIST
   * on POSIX file systems; FAT/exFAT have no hard links (EPERM/ENOSYS), so there we re-check and rename: the
   * repository lock makes us the only writer, so the window is only against ourselves.
   */
  private async place(tmp: string, final: string, path: string, overwrite: boolean): Promise<void> {
    if (overwrite) return fsp.rename(tmp, final);
    try {
      await fsp.link(tmp, final);
      await fsp.unlink(tmp);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw new BlobStoreError('exists', path);
      if (!['EPERM', 'ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'EACCES', 'EINVAL'].includes(code)) throw err;
    }
    if (await this.exists(final, path)) throw new BlobStoreError('exists', path);
    await fsp.rename(tmp, final);
  }

  /**
   * Makes `dir` (a folder of the repository) and what is missing above it, up to the repository's folder. That folder is
   * made only by the store's first write to a new location (init): once it has been seen, a repository folder that has
   * gone (moved, renamed, deleted, its drive or network share disconnected) is reported, never silently made again empty.
   */
  private async makeDir(dir: string): Promise<void> {
    if (!this.rootSeen) {
      if (!(await this.rootExists())) await fsp.mkdir(this.root, { recursive: true });
      this.rootSeen = true;
    }
    let at = this.root;
    for (const part of relative(this.root, dir).split(sep)) {
      if (part === '') continue;
      at = join(at, part);
      try {
        await fsp.mkdir(at);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code === 'ENOENT' && !(await this.rootExists())) throw this.gone(err, `make ${at}`);
        throw err;
      }
    }
  }

  private async rootExists(): Promise<boolean> {
    return fsp.stat(this.root).then(
      (st) => st.isDirectory(),
      () => false,
    );
  }

  private gone(cause: unknown, context: string): RempartError {
    return new RempartError(
      'DRIVE_UNPLUGGED',
      `${context}: the repository folder ${this.root} is gone (moved, renamed or deleted, or its drive or network share was disconnected)`,
      { cause, retryable: true, details: { path: this.root } },
    );
  }

  /**
   * FAT drivers report a full volume as EPERM (fusefat, which also answers statfs with zeros = unknown space). FAT has
   * no permissions and we refuse names FAT cannot hold, so EPERM with low or unknown free space means DISK_FULL.
   */
  private async mapError(err: unknown, context: string, size: number): Promise<unknown> {
    if (err instanceof BlobStoreError || err instanceof RempartError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (isUnplugErrno(code)) return fsErrorToRempart(err, context);
    // A vanished volume shows up as ENOENT on rename/mkdir: prefer the guard's verdict.
    if (this.guard) {
      try {
        await this.guard.check(context);
      } catch (guardErr) {
        return guardErr;
      }
    }
    if (code === 'ENOENT' && this.rootSeen && !(await this.rootExists())) return this.gone(err, context);
    let maybeFull = false;
    if (code === 'EPERM') {
      const free = await this.space().then((s) => s.free, () => null);
      maybeFull = free === null || free < Math.max(NEARLY_FULL_BYTES, size);
    }
    return fsErrorToRempart(err, context, { maybeFull });
  }

  private async mapReadError(err: unknown, path: string): Promise<unknown> {
    if (err instanceof RempartError || err instanceof BlobStoreError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      await this.guard?.check(`reading ${path}`);
      return new BlobStoreError('not-found', path);
    }
    return fsErrorToRempart(err, `read ${path}`);
  }
}

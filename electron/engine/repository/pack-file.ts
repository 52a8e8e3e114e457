/**
 * Writes one pack file while its blobs arrive, without ever holding the pack in memory: archiver makes the stored zip,
 * each 64 KiB of it is age-encrypted to the repository recipient (the final chunk is flagged, as age requires, so one
 * chunk is held back until more comes or the zip ends), the ciphertext is hashed (its SHA-256 is the pack id) and
 * written to the file about 1 MiB at a time. The offset of each blob inside the zip is followed as the zip streams out
 * and checked against its headers (zip-offsets.ts). Same bytes as pack-seal.ts for the same blobs, up to age's random
 * file key and nonce.
 *
 * The file is a store's temporary file (BlobStore.temporaryFile): created here, exclusively; flushed to the device
 * before finish() resolves, so that the store only has to check its size and move it into place. Runs on the seal
 * thread (seal-thread.ts, through seal-worker.ts) or, where no worker runs, on the calling thread.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsync, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Archiver } from 'archiver';
import { freeNow } from '../base/buffers.js';
import { BugError } from '../base/errors.js';
import { CHUNK_SIZE, type ChunkCipher } from '../content/age/payload.js';
import { startEncryption } from '../content/age/streams.js';
import { appendStored, packArchive } from './pack-zip.js';
import type { SealEntry } from './pack-seal.js';
import { ZipOffsetTracker } from './zip-offsets.js';

const fsyncAsync = promisify(fsync);

/** Ciphertext gathered before each write() to the file. */
const WRITE_SIZE = 1024 * 1024;

export interface PackFileResult {
  /** Bytes of the pack file. */
  size: number;
  sha256: string;
  /** Offset of each blob's data inside the zip, in the order they were added. */
  dataOffsets: number[];
}

/** An error met while writing the file: what the store needs to explain it (errno code and system call). */
export function describeWriteError(err: unknown): { message: string; code?: string; syscall?: string } {
  const e = err as NodeJS.ErrnoException;
  return { message: String(e?.message ?? err), code: typeof e?.code === 'string' ? e.code : undefined, syscall: e?.syscall };
}

/**
 * The sinks' two buffers (a payload chunk, and the ciphertext gathered for a write), kept from one pack to the next
 * rather than left to the garbage collector every 16 MiB written. Two sets cover the packs one thread writes at once.
 */
interface SinkBuffers {
  chunk: Buffer;
  out: Buffer;
}
const spareSinkBuffers: SinkBuffers[] = [];
const MAX_SPARE_SINK_BUFFERS = 2;

/** The age file being written: payload chunks sealed as the zip streams in, then hashed and written in large pieces. */
class AgeFileSink {
  private readonly buffers: SinkBuffers = spareSinkBuffers.pop() ?? {
    chunk: Buffer.allocUnsafeSlow(CHUNK_SIZE),
    out: Buffer.allocUnsafeSlow(WRITE_SIZE + CHUNK_SIZE + 1024),
  };
  private readonly chunk = this.buffers.chunk;
  private fill = 0;
  private counter = 0;
  private readonly out = this.buffers.out;
  private used = 0;
  private released = false;
  private readonly hash: Hash = createHash('sha256');
  /** Bytes written to the file. */
  size = 0;

  constructor(
    private readonly fd: number,
    prefix: Buffer,
    private readonly cipher: ChunkCipher,
  ) {
    this.put(prefix);
  }

  write(data: Buffer): void {
    let off = 0;
    while (off < data.length) {
      if (this.fill === CHUNK_SIZE) this.sealChunk(this.chunk, false);
      // a whole chunk with more bytes after it is sealed straight from `data` (it cannot be the last one)
      if (this.fill === 0 && data.length - off > CHUNK_SIZE) {
        this.sealChunk(data.subarray(off, off + CHUNK_SIZE), false);
        off += CHUNK_SIZE;
        continue;
      }
      const take = Math.min(CHUNK_SIZE - this.fill, data.length - off);
      data.copy(this.chunk, this.fill, off, off + take);
      this.fill += take;
      off += take;
    }
  }

  /** The zip has ended: its last chunk is sealed as the final one and everything reaches the file. */
  end(): string {
    this.sealChunk(this.chunk.subarray(0, this.fill), true);
    this.flush();
    return this.hash.digest('hex');
  }

  /** The file is closed: its buffers go to the next pack (this sink is not used again). */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (spareSinkBuffers.length < MAX_SPARE_SINK_BUFFERS) spareSinkBuffers.push(this.buffers);
  }

  private sealChunk(plain: Buffer, last: boolean): void {
    const [ct, tag] = this.cipher.seal(this.counter++, last, plain);
    this.put(ct);
    this.put(tag);
    freeNow(ct); // copied: 64 KiB per chunk would otherwise wait for the collector
    this.fill = 0;
  }

  private put(bytes: Buffer): void {
    if (this.used + bytes.length > this.out.length) this.flush();
    this.used += bytes.copy(this.out, this.used);
    if (this.used >= WRITE_SIZE) this.flush();
  }

  private flush(): void {
    const data = this.out.subarray(0, this.used);
    this.hash.update(data);
    let off = 0;
    while (off < data.length) {
      const n = writeSync(this.fd, data, off, data.length - off);
      if (n <= 0) throw Object.assign(new Error('short write: no space left'), { code: 'ENOSPC', syscall: 'write' });
      off += n;
    }
    this.size += data.length;
    this.used = 0;
  }
}

interface Waiting {
  /** Index of the segment's last entry: the segment is free once its data passed. */
  lastEntry: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class PackFileWriter {
  private readonly tracker = new ZipOffsetTracker();
  private readonly waiting: Waiting[] = [];
  private entries = 0;
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly sink: AgeFileSink,
    private readonly archive: Archiver,
  ) {
    archive.on('data', (c: Buffer) => {
      if (this.failure) return;
      try {
        this.tracker.push(c);
        this.sink.write(c);
        this.releaseConsumed();
      } catch (err) {
        this.fail(err);
      }
    });
    archive.on('error', (err) => this.fail(err));
    archive.on('warning', (err) => this.fail(err));
  }

  /** Creates `file` (it must not exist) and starts the pack's age file in it. */
  static async create(file: string, recipient: string): Promise<PackFileWriter> {
    const { prefix, cipher } = await startEncryption([{ type: 'x25519', recipient }]);
    const fd = openSync(file, 'wx', 0o644);
    try {
      return new PackFileWriter(fd, new AgeFileSink(fd, prefix, cipher), packArchive());
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /**
   * Appends blobs laid side by side in `segment`. Resolves once their bytes have passed into the file: the caller may
   * then fill `segment` again (and must not before).
   */
  append(segment: Buffer, entries: SealEntry[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new BugError('pack file: append after finish'));
    if (entries.length === 0) return Promise.resolve();
    this.tracker.expect(entries.map((e) => ({ name: e.name, length: e.length })));
    for (const e of entries) appendStored(this.archive, e.name, segment.subarray(e.offset, e.offset + e.length));
    this.entries += entries.length;
    return new Promise((resolve, reject) => {
      this.waiting.push({ lastEntry: this.entries - 1, resolve, reject });
      this.releaseConsumed();
    });
  }

  /** Ends the zip and the age file, flushes the file to the device and closes it. */
  async finish(): Promise<PackFileResult> {
    if (this.closed) throw new BugError('pack file finished twice');
    this.closed = true;
    try {
      if (this.entries === 0) throw new BugError('pack file without blobs');
      const ended = new Promise<void>((resolve, reject) => {
        this.archive.on('end', resolve);
        this.archive.on('error', reject);
      });
      await this.archive.finalize();
      await ended;
      if (this.failure) throw this.failure;
      const dataOffsets = this.tracker.finish();
      const sha256 = this.sink.end();
      await fsyncAsync(this.fd);
      return { size: this.sink.size, sha256, dataOffsets };
    } catch (err) {
      this.fail(err);
      throw this.failure ?? err;
    } finally {
      this.closeFile();
    }
  }

  /** Stops writing (the store removes the file). */
  abort(reason: Error = new BugError('pack file aborted')): void {
    this.closed = true;
    this.fail(reason);
    this.archive.abort();
    this.closeFile();
  }

  private fileOpen = true;

  private closeFile(): void {
    if (!this.fileOpen) return; // never twice: the number may belong to another file by then
    this.fileOpen = false;
    this.sink.release();
    try {
      closeSync(this.fd);
    } catch {
      /* the drive may be gone: nothing more to do with this file */
    }
  }

  private releaseConsumed(): void {
    while (this.waiting.length > 0 && this.tracker.passed(this.waiting[0].lastEntry)) this.waiting.shift()!.resolve();
  }

  private fail(err: unknown): void {
    if (this.failure) return;
    this.failure = err instanceof Error ? err : new Error(String(err));
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

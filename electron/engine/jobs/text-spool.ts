import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * An append-only list of JSON texts kept in a temporary file rather than in memory: what a backup learns about each file
 * (its manifest entry, its listing row, its cache record) is written out as the file completes, and read back at
 * the commit, as the bytes of a JSON array or object body (texts separated by commas). A shop's hundreds of thousands
 * of files then cost the engine a few hundred KB of buffered text, not hundreds of MB of objects held until the end.
 *
 * The file lives in the repository's local cache folder (a local disk, never the backup drive) and is removed by
 * close(). Where it cannot be created or written (no such folder, a full disk), the texts stay in memory instead, from
 * that point on: never a reason for a backup to fail.
 */
const FLUSH_AT = 256 * 1024;
const READ_SIZE = 1024 * 1024;

/** `<name>-<pid>-<random>.spool`: the pid tells a stale file (its process is gone: killed, crashed) from a running one's. */
const SPOOL_NAME = /^[\w-]+-(\d+)-[0-9a-f]{8}\.spool$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Removes the spool files of processes that ended without removing them (a backup killed midway). Best effort. */
export function removeStaleSpools(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = SPOOL_NAME.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

export class TextSpool {
  private fd: number | null = null;
  private readonly file: string | null = null;
  /**
   * Bytes not yet written, encoded as each text comes: a text is garbage as soon as it is added (young, never promoted
   * to the old generation as strings held until a flush would be).
   */
  private buf: Buffer | null = null;
  private used = 0;
  /** Texts kept in memory once the file is given up (or never had). */
  private pending: string[] = [];
  private fileBytes = 0;
  private count = 0;

  constructor(dir: string | null, name: string) {
    if (dir === null) return;
    try {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}-${process.pid}-${randomBytes(4).toString('hex')}.spool`);
      this.fd = openSync(file, 'wx+', 0o600);
      this.file = file;
    } catch {
      this.fd = null; // in memory
    }
  }

  /** Texts added so far. */
  get size(): number {
    return this.count;
  }

  /** True while the texts go to the file (false: in memory, by choice or after a failure). */
  get onDisk(): boolean {
    return this.fd !== null;
  }

  add(text: string): void {
    const piece = this.count++ === 0 ? text : `,${text}`;
    // a UTF-16 unit is at most 3 bytes of UTF-8: room is checked without measuring the text
    if (this.fd !== null && this.buf !== null && this.used + 3 * piece.length > this.buf.length) this.flush();
    if (this.fd === null) {
      this.pending.push(piece); // in memory (the flush above may just have given up the file)
      return;
    }
    this.buf ??= Buffer.allocUnsafe(Math.max(FLUSH_AT, 3 * piece.length));
    if (this.buf.length < 3 * piece.length) {
      this.flush(); // a text bigger than the buffer: written on its own
      if (this.fd === null) this.pending.push(piece);
      else this.writeOut(Buffer.from(piece, 'utf8'));
      return;
    }
    this.used += this.buf.write(piece, this.used, 'utf8');
  }

  private flush(): void {
    if (this.fd === null || this.buf === null || this.used === 0) return;
    const bytes = this.buf.subarray(0, this.used);
    this.used = 0;
    this.writeOut(bytes);
  }

  private writeOut(bytes: Buffer): void {
    if (this.fd === null) return;
    try {
      for (let off = 0; off < bytes.length; ) {
        const n = writeSync(this.fd, bytes, off, bytes.length - off, this.fileBytes + off);
        if (n <= 0) throw new Error('short write');
        off += n;
      }
    } catch {
      // keep what the file holds (its first fileBytes bytes, all whole texts) and these bytes here from now on
      this.closeFile(false);
      this.pending.push(bytes.toString('utf8'));
      return;
    }
    this.fileBytes += bytes.length;
  }

  /** The texts, comma-separated, as UTF-8 pieces of up to 1 MiB (each a buffer of its own). */
  async *read(): AsyncGenerator<Buffer> {
    this.flush();
    if (this.fileBytes > 0 && this.file !== null) {
      const fd = this.fd ?? openSync(this.file, 'r');
      try {
        for (let pos = 0; pos < this.fileBytes; ) {
          const piece = Buffer.allocUnsafe(Math.min(READ_SIZE, this.fileBytes - pos));
          const n = readSync(fd, piece, 0, piece.length, pos);
          if (n <= 0) throw new Error(`spool file ${this.file} ended at ${pos} of ${this.fileBytes} bytes`);
          pos += n;
          yield n === piece.length ? piece : piece.subarray(0, n);
        }
      } finally {
        if (fd !== this.fd) closeSync(fd);
      }
    }
    for (let i = 0; i < this.pending.length; ) {
      let text = '';
      while (i < this.pending.length && text.length < READ_SIZE / 2) text += this.pending[i++];
      yield Buffer.from(text, 'utf8');
    }
  }

  /** Removes the file (the texts are gone). */
  close(): void {
    this.closeFile(true);
    this.pending = [];
    this.buf = null;
    this.used = 0;
  }

  private closeFile(remove: boolean): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        /* nothing more to do with it */
      }
      this.fd = null;
    }
    if (remove && this.file !== null) rmSync(this.file, { force: true });
  }
}

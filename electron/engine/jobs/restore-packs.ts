/**
 * Restores regular files pack by pack. Every blob the files need is located; packs are visited once each, in the order
 * the files first need them. A pack from which much is needed is streamed ONCE front to back (one read of the file or
 * HTTP body, sequential decryption, the wanted entries cut out at their index offsets); a pack from which little is
 * needed is read by random access (only the chunks around those blobs). Blobs are decoded and verified against their
 * keyed id on libuv's thread pool with a bounded number of bytes in flight, then written at their offset into each file
 * that needs them (temporary name). A file is hashed as its blobs arrive in order (re-read from disk otherwise), checked
 * against its recorded sha256 and size, then moved into place. A pack that fails mid-stream falls back to random access
 * for the blobs not yet delivered, so intact blobs of a damaged pack still restore.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fchmodSync, futimesSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { RempartError } from '../base/errors.js';
import type { Repo } from '../repository/repository.js';
import type { SmallFile } from '../repository/decode-pool.js';
import { Inflight } from '../repository/inflight.js';
import type { IndexEntry, ManifestEntry } from '../repository/types.js';
import { commitRegularFile, sha256OfFile, tempPathFor } from './restore-file.js';

/** Decoded bytes in flight (being decompressed, verified or written). */
const INFLIGHT_BYTES = 24 * 1024 * 1024;
const INFLIGHT_TASKS = 512;
/** Consecutive blobs of a file written at once, and verified bytes waiting to be written (all files). */
const WRITE_GATHER = 1024 * 1024;
const MAX_BUFFERED = 8 * 1024 * 1024;
/** File handles kept open between writes; beyond this each write opens and closes its file. */
const MAX_OPEN_FILES = 64;
/** A pack is streamed whole when at least this fraction of its bytes is needed. */
const STREAM_FRACTION = 0.25;
/** New files of one blob up to this size are written with synchronous calls. */
const SMALL_FILE = 4 * 1024 * 1024;

export interface FileTask {
  e: ManifestEntry;
  dest: string;
  /** Something exists at dest (kept aside when the restored file is moved into place). */
  existing: boolean;
}

export interface PackRestoreOptions {
  now: Date;
  signal?: AbortSignal;
  /** Bytes of `task` written (called per blob). */
  onBytes?: (task: FileTask, n: number) => void;
  /** A file is finished: restored (keptAs when an existing one was moved aside) or failed. May throw to abort the restore. */
  onFile: (task: FileTask, result: { ok: true; bytes: number; keptAs?: string } | { ok: false; error: unknown }) => void;
}

interface Job {
  task: FileTask;
  tmp: string;
  created: boolean;
  fh: FileHandle | null;
  tail: Promise<void>;
  /** Verified blobs not yet written, contiguous from bufPos. */
  buf: Buffer[];
  bufPos: number;
  bufLen: number;
  offsets: number[];
  remaining: number;
  nextHash: number;
  hash: Hash | null;
  bytes: number;
  error: unknown;
  finished: boolean;
}

interface Need {
  entry: IndexEntry;
  targets: { job: Job; slot: number }[];
}

function isFatal(err: unknown): boolean {
  return err instanceof RempartError && (err.code === 'CANCELLED' || err.code === 'DRIVE_UNPLUGGED');
}

export async function restoreFilesByPack(repo: Repo, tasks: readonly FileTask[], opts: PackRestoreOptions): Promise<void> {
  const packs = new Map<string, { size: number; needs: Map<string, Need> }>();
  const jobs: Job[] = [];
  for (const task of tasks) {
    const blobs = task.e.blobs ?? [];
    const job: Job = {
      task, tmp: tempPathFor(task.dest), created: false, fh: null, tail: Promise.resolve(), buf: [], bufPos: 0, bufLen: 0, offsets: new Array<number>(blobs.length),
      remaining: blobs.length, nextHash: 0, hash: createHash('sha256'), bytes: 0, error: null, finished: false,
    };
    jobs.push(job);
    let offset = 0;
    const wanted: { loc: NonNullable<ReturnType<Repo['locate']>>; slot: number }[] = [];
    for (let slot = 0; slot < blobs.length; slot++) {
      const loc = repo.locate(blobs[slot]);
      if (!loc) {
        job.error = new RempartError('DATA_MISSING', `blob ${blobs[slot]} of ${task.e.path} is in no pack of the index`, { details: { blob: blobs[slot], path: task.e.path } });
        break;
      }
      job.offsets[slot] = offset;
      offset += loc.entry.rawLength;
      wanted.push({ loc, slot });
    }
    if (job.error) continue;
    for (const { loc, slot } of wanted) {
      let pack = packs.get(loc.packId);
      if (!pack) packs.set(loc.packId, (pack = { size: loc.packSize, needs: new Map() }));
      let need = pack.needs.get(loc.entry.id);
      if (!need) pack.needs.set(loc.entry.id, (need = { entry: loc.entry, targets: [] }));
      need.targets.push({ job, slot });
    }
  }

  let fatal = null as { err: unknown } | null;
  let openFiles = 0;
  const pool = new Inflight(INFLIGHT_BYTES, INFLIGHT_TASKS);
  let turn: Promise<void> = Promise.resolve();

  const closeJob = async (job: Job) => {
    if (!job.fh) return;
    const fh = job.fh;
    job.fh = null;
    openFiles--;
    await fh.close();
  };

  const finish = async (job: Job): Promise<void> => {
    job.finished = true;
    const { e, dest } = job.task;
    try {
      await closeJob(job);
      if (job.error) throw job.error;
      if (!job.created) {
        await (await open(job.tmp, 'wx', 0o600)).close(); // an empty file
        job.created = true;
      }
      const sha = job.hash && job.nextHash === job.offsets.length ? job.hash.digest('hex') : await sha256OfFile(job.tmp, opts.signal);
      if (job.bytes !== e.size || (e.sha256 && sha !== e.sha256)) {
        throw new RempartError('DATA_CORRUPT', `restored content of ${e.path} does not match its recorded hash`, { details: { path: e.path } });
      }
      const keptAs = await commitRegularFile(e, dest, job.tmp, job.task.existing, opts.now);
      opts.onFile(job.task, { ok: true, bytes: job.bytes, keptAs });
    } catch (err) {
      if (job.created) await rm(job.tmp, { force: true }).catch(() => undefined);
      try {
        opts.onFile(job.task, { ok: false, error: err });
      } catch (thrown) {
        fatal ??= { err: thrown };
      }
    }
  };

  const write = async (job: Job, parts: Buffer[], position: number): Promise<void> => {
    if (!job.fh) {
      job.fh = await open(job.tmp, job.created ? 'r+' : 'wx', 0o600);
      job.created = true;
      openFiles++;
    }
    const total = parts.reduce((n, b) => n + b.length, 0);
    let done = (await job.fh.writev(parts, position)).bytesWritten;
    if (done < total) {
      const rest = Buffer.concat(parts).subarray(done);
      for (let off = 0; off < rest.length; ) off += (await job.fh.write(rest, off, rest.length - off, position + done + off)).bytesWritten;
    }
    job.bytes += total;
    opts.onBytes?.(job.task, total);
    if (openFiles > MAX_OPEN_FILES) await closeJob(job);
  };

  /** Consecutive blobs of a file are gathered and written with one writev (each write is a trip through the thread pool). */
  let buffered = 0;
  const buffering = new Set<Job>();
  const flush = (job: Job): Promise<void> => {
    if (job.bufLen === 0) return job.tail;
    const parts = job.buf;
    const position = job.bufPos;
    buffered -= job.bufLen;
    buffering.delete(job);
    job.buf = [];
    job.bufLen = 0;
    job.tail = job.tail.then(async () => {
      if (job.error) return;
      try {
        await write(job, parts, position);
      } catch (e) {
        job.error = e;
        if (isFatal(e)) fatal ??= { err: e };
      }
    });
    return job.tail;
  };

  /**
   * A new file of one blob: verified in memory, then written, given its mode and times and renamed with synchronous
   * calls (a handful of cheap system calls; through the thread pool each one costs more main-thread time than it saves).
   */
  const writeSmallFile = (job: Job, plain: Buffer) => {
    const { e, dest } = job.task;
    job.remaining = 0;
    job.finished = true;
    try {
      job.hash!.update(plain);
      if (plain.length !== e.size || (e.sha256 && job.hash!.digest('hex') !== e.sha256)) {
        throw new RempartError('DATA_CORRUPT', `restored content of ${e.path} does not match its recorded hash`, { details: { path: e.path } });
      }
      const fd = openSync(job.tmp, 'wx', 0o600);
      job.created = true;
      try {
        let done = 0;
        while (done < plain.length) done += writeSync(fd, plain, done, plain.length - done);
        fchmodSync(fd, e.mode & 0o7777 || 0o644);
        const t = new Date(e.mtime);
        futimesSync(fd, t, t);
      } finally {
        closeSync(fd);
      }
      renameSync(job.tmp, dest);
      job.bytes = plain.length;
      opts.onBytes?.(job.task, plain.length);
      opts.onFile(job.task, { ok: true, bytes: plain.length });
    } catch (err) {
      if (job.created) rmSync(job.tmp, { force: true });
      try {
        opts.onFile(job.task, { ok: false, error: err });
      } catch (thrown) {
        fatal ??= { err: thrown };
      }
    }
  };

  /** Hands a verified blob (or its failure) to every slot that needs it; resolves once written and files finished. */
  const apply = (need: Need, result: Buffer | 'written' | null, err: unknown): Promise<void> => {
    const work: Promise<void>[] = [];
    if (result === 'written') {
      const job = need.targets[0].job; // written by the decoder (see smallFileOf)
      job.remaining = 0;
      job.finished = true;
      job.bytes = job.task.e.size;
      opts.onBytes?.(job.task, job.bytes);
      try {
        opts.onFile(job.task, { ok: true, bytes: job.bytes });
      } catch (thrown) {
        fatal ??= { err: thrown };
      }
      return Promise.resolve();
    }
    const plain = result;
    for (const { job, slot } of need.targets) {
      if (!job.error && err) job.error = err;
      if (!job.error && plain && job.offsets.length === 1 && !job.task.existing && plain.length <= SMALL_FILE) {
        writeSmallFile(job, plain);
        continue;
      }
      if (!job.error && plain) {
        if (job.hash && slot === job.nextHash) {
          job.hash.update(plain);
          job.nextHash++;
        } else job.hash = null;
        const at = job.offsets[slot];
        if (job.bufLen > 0 && at !== job.bufPos + job.bufLen) work.push(flush(job));
        if (job.bufLen === 0) job.bufPos = at;
        job.buf.push(plain);
        job.bufLen += plain.length;
        buffered += plain.length;
        buffering.add(job);
      }
      job.remaining--;
      if (job.remaining === 0) work.push(flush(job).then(() => finish(job)));
      else if (job.bufLen >= WRITE_GATHER) work.push(flush(job));
    }
    if (buffered > MAX_BUFFERED) for (const job of [...buffering]) work.push(flush(job));
    return Promise.all(work).then(() => undefined);
  };

  /** Queues one blob: decoded/verified in parallel, applied in queue order. */
  /** The file a blob is the whole of, when the decoder can write it directly (new, one blob, small). */
  const smallFileOf = (need: Need): SmallFile | undefined => {
    if (need.targets.length !== 1) return undefined;
    const { job } = need.targets[0];
    const { e, dest, existing } = job.task;
    if (job.offsets.length !== 1 || existing || job.error || e.size > SMALL_FILE) return undefined;
    return { tmp: job.tmp, dest, mode: e.mode & 0o7777 || 0o644, mtimeMs: new Date(e.mtime).getTime(), sha256: e.sha256, size: e.size, path: e.path };
  };
  const decode = (packId: string, need: Need, stored: Buffer): Promise<Buffer | 'written'> => {
    const file = smallFileOf(need);
    return file ? decoder.verifyAndWrite(packId, need.entry, stored, file) : decoder.verify(packId, need.entry, stored);
  };

  const enqueue = (need: Need, produce: () => Promise<Buffer | 'written'>) => {
    if (fatal) throw fatal.err;
    if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'the restore was cancelled');
    const prev = turn;
    let release!: () => void;
    turn = new Promise<void>((r) => (release = r));
    return pool.run(need.entry.length + need.entry.rawLength, async () => {
      let plain: Buffer | 'written' | null = null;
      let err: unknown = null;
      try {
        plain = await produce();
      } catch (e) {
        err = e;
        if (isFatal(e)) fatal ??= { err: e };
      }
      await prev;
      const written = apply(need, plain, err);
      release();
      await written;
    });
  };

  const decoder = repo.newDecoder();
  try {
    // Files whose blobs cannot all be located, and empty files, finish now.
    for (const job of jobs) if (job.remaining === 0 || job.error) await finish(job);
    for (const [packId, pack] of packs) {
      const needs = [...pack.needs.values()].sort((a, b) => a.entry.offset - b.entry.offset);
      const live: Need[] = [];
      for (const n of needs) {
        if (n.targets.some((t) => !t.job.error)) live.push(n);
        else await enqueue(n, () => Promise.resolve(Buffer.alloc(0))); // only settles the slots of failed files
      }
      const neededBytes = live.reduce((s, n) => s + n.entry.length, 0);
      let from = 0;
      if (live.length > 0 && neededBytes >= pack.size * STREAM_FRACTION) {
        const byOffset = new Map(live.map((n) => [n.entry.offset, n]));
        const walk = await repo.streamPack(
          packId,
          live.map((n) => n.entry),
          (entry, stored) => {
            const need = byOffset.get(entry.offset)!;
            return enqueue(need, () => decode(packId, need, stored));
          },
          { signal: opts.signal },
        );
        from = walk.delivered;
        if (walk.error && isFatal(walk.error)) throw walk.error;
      }
      // Random access: packs needed only a little, and what a damaged pack could not deliver.
      for (const n of live.slice(from)) await enqueue(n, () => repo.readBlob(n.entry.id));
    }
    await pool.drain();
    await turn;
    if (fatal) throw fatal.err;
  } catch (err) {
    await pool.settle();
    for (const job of jobs) {
      if (job.finished) continue;
      await job.tail.catch(() => undefined);
      await closeJob(job).catch(() => undefined);
      if (job.created) await rm(job.tmp, { force: true }).catch(() => undefined);
    }
    throw fatal ? fatal.err : err;
  } finally {
    await decoder.close();
  }
}

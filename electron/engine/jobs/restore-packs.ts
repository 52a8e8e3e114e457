/**
 * Restores regular files pack by pack. Every blob the files need is located; packs are visited once each, in the order
 * the files first need them. A pack from which much is needed is streamed ONCE front to back (one read of the file or
 * HTTP body, sequential decryption, the wanted entries cut out at their index offsets); a pack from which little is
 * needed is read by random access (only the chunks around those blobs). Each blob goes to the decode pool's workers with
 * the places it must be written to: there it is decoded, verified against its keyed id and written, so that plaintext
 * never comes back to this thread.
 * Every blob is verified against its keyed id (HMAC-SHA-256 of its plaintext) before it is written. With `verifyFiles`,
 * each file is also compared with the sha256 of the whole file recorded in the snapshot (the points below marked *).
 *  - A new file of one blob is checked against its size (* and sha256) in memory, then created at its place (O_EXCL:
 *    nothing is ever replaced), with its mode and times, by the worker.
 *  - Any other file is written part by part at its offsets into a temporary file; once every part is in, a worker checks
 *    its size (* re-reads it and checks its sha256), gives it its mode and times and renames it into place (an existing
 *    different file is kept aside first, here).
 * A pack that fails mid-stream falls back to random access for the blobs not yet delivered, so intact blobs of a damaged
 * pack still restore. Bytes in flight are bounded whatever the number of packs or files.
 */
import { closeSync, openSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { RempartError } from '../base/errors.js';
import type { Repo } from '../repository/repository.js';
import type { BlobTarget, DecodePool, PartFile, TargetResult } from '../repository/decode-pool.js';
import { Inflight } from '../repository/inflight.js';
import type { IndexEntry, ManifestEntry } from '../repository/types.js';
import { commitRegularFile, tempPathFor } from './restore-file.js';

/** Stored + decoded bytes of the blobs handed to the workers and not yet written. */
const INFLIGHT_BYTES = 12 * 1024 * 1024;
const INFLIGHT_TASKS = 512;
/** A pack is streamed whole when at least this fraction of its bytes is needed. */
const STREAM_FRACTION = 0.25;

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
  /** Also check each file against its recorded sha256 (RestoreOptions.verifyFiles). */
  verifyFiles?: boolean;
  /** A file is finished: restored (keptAs when an existing one was moved aside) or failed. May throw to abort the restore. */
  onFile: (task: FileTask, result: { ok: true; bytes: number; keptAs?: string } | { ok: false; error: unknown }) => void;
}

interface Job {
  id: number;
  task: FileTask;
  /** Blob slots not yet written. */
  left: number;
  /** Set once the first part is about to be written (files not written whole by one blob). */
  part: PartFile | null;
  error: unknown;
  done: boolean;
}

interface Need {
  entry: IndexEntry;
  targets: { job: Job; position: number }[];
}

function isFatal(err: unknown): boolean {
  return err instanceof RempartError && (err.code === 'CANCELLED' || err.code === 'DRIVE_UNPLUGGED');
}

function modeOf(e: ManifestEntry): number {
  return e.mode & 0o7777 || 0o644;
}

/** What the workers check a finished file against: its size, and its recorded sha256 when asked to. */
function expected(e: ManifestEntry, verifyFiles: boolean | undefined): { size: number; sha256?: string } {
  return verifyFiles ? { size: e.size, sha256: e.sha256 } : { size: e.size };
}

export async function restoreFilesByPack(repo: Repo, tasks: readonly FileTask[], opts: PackRestoreOptions): Promise<void> {
  const packs = new Map<string, { size: number; needs: Map<string, Need> }>();
  const jobs: Job[] = [];
  for (const task of tasks) {
    const blobs = task.e.blobs ?? [];
    const job: Job = { id: jobs.length, task, left: blobs.length, part: null, error: null, done: false };
    jobs.push(job);
    let position = 0;
    const wanted: { loc: NonNullable<ReturnType<Repo['locate']>>; position: number }[] = [];
    for (const id of blobs) {
      const loc = repo.locate(id);
      if (!loc) {
        job.error = new RempartError('DATA_MISSING', `blob ${id} of ${task.e.path} is in no pack of the index`, { details: { blob: id, path: task.e.path } });
        break;
      }
      wanted.push({ loc, position });
      position += loc.entry.rawLength;
    }
    if (job.error) continue;
    for (const { loc, position: at } of wanted) {
      let pack = packs.get(loc.packId);
      if (!pack) packs.set(loc.packId, (pack = { size: loc.packSize, needs: new Map() }));
      let need = pack.needs.get(loc.entry.id);
      if (!need) pack.needs.set(loc.entry.id, (need = { entry: loc.entry, targets: [] }));
      need.targets.push({ job, position: at });
    }
  }

  let fatal = null as { err: unknown } | null;
  const pool = new Inflight(INFLIGHT_BYTES, INFLIGHT_TASKS);
  const finishing = new Set<Promise<void>>();
  const decoder: DecodePool = repo.newDecoder();

  const report = (job: Job, result: Parameters<PackRestoreOptions['onFile']>[1]) => {
    try {
      opts.onFile(job.task, result);
    } catch (thrown) {
      fatal ??= { err: thrown };
    }
  };
  const fail = (job: Job, err: unknown) => {
    if (job.done) return;
    job.done = true;
    if (isFatal(err)) fatal ??= { err };
    if (job.part) {
      decoder.forget(job.id);
      const tmp = job.part.tmp;
      track(rm(tmp, { force: true }).catch(() => undefined));
    }
    report(job, { ok: false, error: err });
  };
  const track = (p: Promise<void>) => {
    finishing.add(p);
    void p.finally(() => finishing.delete(p));
  };

  /** Files with no blob (empty) or whose blobs cannot all be located: finished here. */
  const finishOnMain = async (job: Job) => {
    job.done = true;
    const { e, dest } = job.task;
    if (job.error) return report(job, { ok: false, error: job.error });
    const tmp = tempPathFor(dest);
    try {
      await (await open(tmp, 'wx', 0o600)).close();
      const keptAs = await commitRegularFile(e, dest, tmp, job.task.existing, opts.now);
      report(job, { ok: true, bytes: 0, keptAs });
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      report(job, { ok: false, error: err });
    }
  };

  /** Every part of a file is written: checked, given its mode and times and moved into place by a worker. */
  const complete = (job: Job) => {
    const part = job.part!;
    decoder.forget(job.id);
    track(
      decoder.finish(part).then(
        async () => {
          let keptAs: string | undefined;
          if (part.existing) {
            try {
              keptAs = await commitRegularFile(job.task.e, part.dest, part.tmp, true, opts.now);
            } catch (err) {
              await rm(part.tmp, { force: true }).catch(() => undefined);
              return fail(job, err);
            }
          }
          job.done = true;
          report(job, { ok: true, bytes: job.task.e.size, keptAs });
        },
        (err: unknown) => {
          fail(job, err);
        },
      ),
    );
  };

  const partOf = (job: Job): PartFile => {
    if (!job.part) {
      const { e, dest, existing } = job.task;
      const tmp = tempPathFor(dest);
      closeSync(openSync(tmp, 'wx', 0o600)); // created here, once: workers only open it
      job.part = { file: job.id, tmp, dest, ...expected(e, opts.verifyFiles), mode: modeOf(e), mtimeMs: new Date(e.mtime).getTime(), existing, path: e.path };
    }
    return job.part;
  };

  const targetsOf = (need: Need): { targets: BlobTarget[]; jobs: Job[] } | null => {
    const live = need.targets.filter((t) => !t.job.done);
    if (live.length === 0) return null;
    const targets: BlobTarget[] = [];
    const owners: Job[] = [];
    for (const { job, position } of live) {
      const { e, dest, existing } = job.task;
      try {
        if ((e.blobs?.length ?? 0) === 1 && !existing) {
          targets.push({ direct: { dest, ...expected(e, opts.verifyFiles), mode: modeOf(e), mtimeMs: new Date(e.mtime).getTime(), path: e.path } });
        } else targets.push({ part: partOf(job), position });
        owners.push(job);
      } catch (err) {
        fail(job, err);
      }
    }
    return owners.length > 0 ? { targets, jobs: owners } : null;
  };

  const applied = (entry: IndexEntry, jobsHit: Job[], results: TargetResult[]) => {
    results.forEach((r, k) => {
      const job = jobsHit[k];
      if (job.done) return;
      if (!r.ok) return fail(job, r.error);
      opts.onBytes?.(job.task, entry.rawLength);
      job.left--;
      if (job.left > 0) return;
      if (job.part) complete(job);
      else {
        job.done = true;
        report(job, { ok: true, bytes: job.task.e.size });
      }
    });
  };

  /** Hands one blob (stored bytes, or the failure to get them) to the workers, with the places it goes to. */
  const deliver = (packId: string, need: Need, stored: Buffer | null, err: unknown, raw = false): Promise<void> => {
    if (fatal) throw fatal.err;
    if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'the restore was cancelled');
    const t = targetsOf(need);
    if (!t) return Promise.resolve();
    if (!stored) {
      for (const job of t.jobs) fail(job, err);
      return Promise.resolve();
    }
    const entry = raw ? { ...need.entry, codec: 'raw' as const, length: stored.length } : need.entry;
    return pool.run(stored.length + need.entry.rawLength, () =>
      decoder.write(packId, entry, stored, t.targets).then(
        (results) => applied(need.entry, t.jobs, results),
        (e: unknown) => {
          for (const job of t.jobs) fail(job, e);
        },
      ),
    );
  };

  try {
    for (const job of jobs) if (job.left === 0 || job.error) await finishOnMain(job);
    for (const [packId, pack] of packs) {
      const live = [...pack.needs.values()].filter((n) => n.targets.some((t) => !t.job.done)).sort((a, b) => a.entry.offset - b.entry.offset);
      const neededBytes = live.reduce((s, n) => s + n.entry.length, 0);
      let from = 0;
      if (live.length > 0 && neededBytes >= pack.size * STREAM_FRACTION) {
        const byOffset = new Map(live.map((n) => [n.entry.offset, n]));
        const walk = await repo.streamPack(packId, live.map((n) => n.entry), (entry, stored) => deliver(packId, byOffset.get(entry.offset)!, stored, null), { signal: opts.signal, recycle: true });
        from = walk.delivered;
        if (walk.error && isFatal(walk.error)) throw walk.error;
      }
      // Random access: packs needed only a little, and what a damaged pack could not deliver (verified plaintext).
      for (const n of live.slice(from)) {
        if (!n.targets.some((t) => !t.job.done)) continue;
        let plain: Buffer | null = null;
        let err: unknown = null;
        try {
          plain = await repo.readBlob(n.entry.id);
        } catch (e) {
          if (isFatal(e)) throw e;
          err = e;
        }
        await deliver(packId, n, plain, err, true);
      }
    }
    await pool.drain();
    while (finishing.size > 0) await Promise.all([...finishing]);
    if (fatal) throw fatal.err;
  } catch (err) {
    await pool.settle();
    while (finishing.size > 0) await Promise.allSettled([...finishing]);
    for (const job of jobs) if (!job.done && job.part) await rm(job.part.tmp, { force: true }).catch(() => undefined);
    throw fatal ? fatal.err : err;
  } finally {
    await decoder.close();
  }
}

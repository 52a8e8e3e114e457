import { hostname } from 'node:os';
import type { BackupOptions, BackupOutcome, SkippedItem } from '../api.js';
import { systemClock } from '../base/clock.js';
import { RempartError, toErrorInfo } from '../base/errors.js';
import type { StoredBlob } from '../repository/types.js';
import { BackupTarget } from './backup-targets.js';
import { BackupSpool } from './backup-spool.js';
import { ProgressTracker } from './backup-progress.js';
import { compressChunk, newChunker } from './content-ports.js';
import { CompressPool } from './compress-pool.js';
import { readFileChunks, ReadScratch } from './file-reader.js';
import { engineRepoOf } from './engine-repository.js';
import { labelSources, scanConcurrently, skipReason, type ScanEntry } from './scan.js';
import { commitTarget } from './backup-commit.js';
import { holdPackResources } from '../repository/pack-builder.js';

/**
 * The backup job: scan the sources once, read + chunk + hash + compress each changed file once, and give every
 * repository the blobs it lacks. A failing repository is detached with its error; the others complete.
 * Reading, chunking and hashing run here; compression (CompressPool, with a bounded amount in flight) and the sealing
 * and writing of packs run on the seal thread, the next pack filling meanwhile.
 *
 * Chunks handed to compression and not yet in a pack: bounded by count and by bytes. Enough to keep the compressing
 * threads fed with batches of small database chunks, small enough to keep memory flat (512 chunks and 8 MiB measured as
 * fast, for 5–20 MB more peak memory: each chunk in flight holds a few promises, promoted to the old generation as
 * garbage when they outlive two young collections).
 */
const MAX_COMPRESS_IN_FLIGHT = 256;
const MAX_COMPRESS_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

export async function backup(opts: BackupOptions): Promise<BackupOutcome[]> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  if (opts.repositories.length === 0) throw new RempartError('INVALID_INPUT', 'backup needs at least one repository');
  if (opts.sources.length === 0) throw new RempartError('INVALID_INPUT', 'backup needs at least one source folder');
  const targets = opts.repositories.map((r) => {
    const h = engineRepoOf(r);
    return new BackupTarget(h.repo, h.cacheDir, h.repo.credentials().writerKey);
  });
  const progress = new ProgressTracker(clock, opts.onProgress);
  const skipped: SkippedItem[] = [];
  const live = () => targets.filter((t) => t.live);
  const cancelled = () => new RempartError('CANCELLED', 'the backup was cancelled');
  let globalError: unknown = null;
  let bytesRead = 0;
  let spool: BackupSpool | null = null;
  const roots = labelSources(opts.sources);

  const outcomes = () =>
    targets.map((t): BackupOutcome => {
      const err = globalError ?? t.failed;
      if (err !== null || !t.committed) return { repositoryId: t.repo.id, ok: false, error: toErrorInfo(err ?? new Error('not committed')) };
      return { repositoryId: t.repo.id, ok: true, snapshot: t.committed.snapshot, newPacks: t.committed.newPacks, skipped };
    });

  await Promise.all(targets.map((t) => t.start()));
  let pool = null as CompressPool | null; // started by store() on the first new chunk
  const inFlight = new Set<Promise<void>>();
  const releasePacking = holdPackResources(); // the seal thread and spare pack buffers go when the last such job ends
  let stopScan = () => undefined as void;
  try {
    if (live().length === 0) return outcomes(); // each target carries its own error (locked, unplugged…)
    // what the run learns of each file goes to a temporary file in the local cache as the file completes
    spool = new BackupSpool(live()[0].cacheDir, live());
    const record = spool;
    progress.setPhase('scanning');
    // the walk goes on while the first files are read; the phase stays 'scanning' (totals still growing) until the
    // counting walk ends
    const scan = scanConcurrently(roots, {
      excludes: opts.excludes,
      onSkip: (s) => skipped.push(s),
      signal: opts.signal,
      onProgress: (files, bytes) => {
        if (progress.phase !== 'scanning') return;
        progress.filesTotal = files;
        progress.bytesTotal = bytes;
        progress.emit();
      },
    });
    stopScan = scan.stop;
    let dirs = 0;
    // the totals of whichever walk ends first (the counting one, nearly always)
    const scanOver = (r: { files: number; bytes: number }) => {
      if (progress.phase !== 'scanning') return;
      progress.filesTotal = r.files;
      progress.bytesTotal = r.bytes;
      progress.setPhase('backing-up');
    };
    scan.totals.then(scanOver, () => undefined); // a failed walk fails through scan.entries
    const scanned = scan.done.then((r) => {
      dirs = r.dirs;
      scanOver(r);
    });
    scanned.catch(() => undefined); // its error comes through scan.entries
    // started on the first new chunk: a backup with nothing new never pays for the worker
    const usePool = process.env.REMPART_COMPRESS_WORKERS !== '0';

    // --- compression pipeline, bounded ---
    let inFlightBytes = 0;
    const waiters: (() => void)[] = [];
    const submit = async (job: Promise<void>, bytes: number) => {
      inFlight.add(job);
      inFlightBytes += bytes;
      void job.finally(() => {
        inFlight.delete(job);
        inFlightBytes -= bytes;
        waiters.shift()?.();
      });
      while (inFlight.size >= MAX_COMPRESS_IN_FLIGHT || inFlightBytes >= MAX_COMPRESS_IN_FLIGHT_BYTES) {
        await new Promise<void>((wake) => waiters.push(wake));
      }
    };
    /** Compresses a chunk once and adds it to every target that lacks it. Never rejects: a failure detaches targets. */
    const store = async (id: string, plain: Buffer, takers: BackupTarget[]): Promise<void> => {
      for (const t of takers) t.inflight.add(id);
      try {
        // `plain` is a view of the run's read buffer, valid only now: the pool copies it before any await; the in-process
        // codec gets a copy of its own
        if (usePool) pool ??= new CompressPool();
        const stored: StoredBlob & { release?: () => void } = pool ? await pool.compress(plain) : await compressChunk(Buffer.from(plain));
        const length = stored.data.length;
        const give = async (t: BackupTarget) => {
          try {
            if (t.live && !t.repo.hasBlob(id)) {
              await t.repo.addBlob(id, stored); // copies the bytes into the pack being filled
              t.newBlobs++;
              t.bytesStored += length;
              progress.bytesStored = Math.max(progress.bytesStored, t.bytesStored);
            }
          } catch (err) {
            t.fail(err);
          }
        };
        try {
          if (takers.length === 1) await give(takers[0]);
          else await Promise.all(takers.map(give));
        } finally {
          stored.release?.(); // every taker has its copy: the pool's batch buffer may be refilled
        }
      } catch (err) {
        for (const t of takers) t.fail(err);
      } finally {
        for (const t of takers) t.inflight.delete(id);
      }
    };

    const groups = () => {
      const m = new Map<string, BackupTarget[]>();
      for (const t of live()) m.set(t.group, [...(m.get(t.group) ?? []), t]);
      return m;
    };

    const scratch = new ReadScratch();
    const readOnce = async (e: ScanEntry) => {
      const blobsByGroup = new Map<string, string[]>();
      const gs = [...groups()].map(([g, targets]) => {
        const ids: string[] = [];
        blobsByGroup.set(g, ids);
        return { targets, ids };
      });
      const r = await readFileChunks(
        e.abs,
        newChunker(e.size),
        async (chunk) => {
          for (const { targets, ids } of gs) {
            const id = targets[0].repo.blobId(chunk);
            ids.push(id);
            // one repository (the usual case): no list made per chunk
            const takers = targets.length === 1 ? (targets[0].needs(id) ? targets : null) : targets.filter((t) => t.needs(id));
            if (takers && takers.length > 0) await submit(store(id, chunk, takers), chunk.length);
          }
        },
        {
          signal: opts.signal,
          expectedSize: e.size,
          scratch,
          onBytes: (n) => {
            bytesRead += n;
            progress.bytesDone += n;
            progress.emit();
          },
        },
      );
      return { r, blobsByGroup };
    };

    for await (const e of scan.entries) {
      if (opts.signal?.aborted) throw cancelled();
      if (live().length === 0) break;
      const base = { path: e.path, type: e.type, size: e.size, mtime: new Date(e.mtimeMs).toISOString(), mode: e.mode };
      if (e.type === 'dir') {
        record.addEntry(base);
        continue;
      }
      if (e.type === 'symlink') {
        record.addEntry({ ...base, target: e.linkTarget });
        continue;
      }
      progress.currentFile = e.path;
      const st = { size: e.size, mtimeMs: e.mtimeMs, ino: e.ino, dev: e.dev };
      const hits = live().map((t) => [t, t.cached(e.abs, st)] as const);
      if (hits.every(([, c]) => c !== null)) {
        const blobsByGroup = new Map<string, string[]>();
        for (const [t, c] of hits) blobsByGroup.set(t.group, c!.blobs);
        record.addFile({ entry: { ...base, sha256: hits[0][1]!.sha256 }, blobsByGroup, stat: st, abs: e.abs });
        progress.filesDone++;
        progress.bytesDone += e.size;
        progress.emit();
        continue;
      }
      const doneBefore = progress.bytesDone;
      try {
        let { r, blobsByGroup } = await readOnce(e);
        if (r.changed && r.after) {
          progress.bytesDone = doneBefore;
          ({ r, blobsByGroup } = await readOnce(e));
        }
        if (r.changed) {
          skipped.push({
            path: e.path,
            reason: r.after ? 'changed-while-reading' : 'vanished',
            message: r.after ? 'the file changed while it was read; the snapshot holds the content as read' : 'the file vanished while it was read',
          });
        }
        if (r.after || !r.changed) {
          const entry = { ...base, size: r.bytesRead, mtime: new Date(r.before.mtimeMs).toISOString(), mode: r.before.mode, sha256: r.sha256 };
          record.addFile({ entry, blobsByGroup, stat: r.changed ? null : r.before, abs: e.abs });
        }
      } catch (err) {
        if (err instanceof RempartError && err.code === 'CANCELLED') throw err;
        progress.bytesDone = doneBefore + e.size;
        skipped.push({ path: e.path, reason: skipReason(err), message: (err as Error)?.message ?? String(err) });
      }
      progress.filesDone++;
      progress.emit();
    }
    if (live().length === 0) stopScan(); // every repository failed: nothing more to read
    else await scanned;
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (opts.signal?.aborted) throw cancelled();

    progress.currentFile = null;
    progress.setPhase('finishing');
    const summaryBase = { files: record.files, dirs, totalBytes: record.totalBytes, bytesRead, skipped: skipped.length };
    await Promise.all(
      live().map((t) =>
        commitTarget(t, {
          spool: record,
          roots,
          host: opts.host ?? hostname(),
          tags: opts.tags ?? [],
          summaryBase,
          started,
          clock,
          signal: opts.signal,
        }).catch((err) => t.fail(err)),
      ),
    );
  } catch (err) {
    globalError = err;
  } finally {
    stopScan();
    // let in-flight blobs settle (never rejects) before the pool stops and the locks go
    await Promise.all(inFlight);
    await pool?.close();
    await Promise.all(targets.map((t) => t.release()));
    await releasePacking();
    spool?.close();
  }
  return outcomes();
}

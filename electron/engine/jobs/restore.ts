import type { RestoreOptions, RestoreSummary } from '../api.js';
import { systemClock, type Clock } from '../base/clock.js';
import { RempartError } from '../base/errors.js';
import type { Repo } from '../repository/repository.js';
import type { ManifestEntry } from '../repository/types.js';
import { mapLimit } from '../repository/blob-index.js';
import { assertInside, createdChain, prepareRegularFile, removeEmptyCreated, restoreDir, restoreSymlink, setDirTimes } from './restore-file.js';
import { restoreFilesByPack, type FileTask } from './restore-packs.js';
import { destinationIn, destinationOriginal } from './restore-paths.js';
import { dirname, resolve } from 'node:path';
import { mkdir, readdir } from 'node:fs/promises';

/**
 * Restore of a whole snapshot or chosen paths, to a folder or to the original place. Nothing is overwritten
 * silently; every byte is verified (each blob against its keyed id; with verifyFiles, each file against its sha256 too);
 * folders get their times back last (writing inside a folder changes its mtime).
 * Files are written pack by pack (restore-packs.ts): each needed pack is read once.
 */
/** Files whose destination is checked (and compared when something is there) at once. */
const PREPARE_CONCURRENCY = 8;

function normalizeInclude(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
}

export function selectEntries(entries: readonly ManifestEntry[], include: readonly string[] | undefined): ManifestEntry[] {
  const wanted = (include ?? []).map(normalizeInclude).filter((p) => p.length > 0);
  if (wanted.length === 0) return [...entries];
  const picked = entries.filter((e) => wanted.some((w) => e.path === w || e.path.startsWith(`${w}/`)));
  const missing = wanted.filter((w) => !entries.some((e) => e.path === w || e.path.startsWith(`${w}/`)));
  if (missing.length > 0) {
    throw new RempartError('INVALID_INPUT', `not in the snapshot: ${missing.join(', ')}`, { details: { path: missing[0] } });
  }
  return picked;
}

export async function restoreSnapshot(repo: Repo, opts: RestoreOptions, clock: Clock = systemClock): Promise<RestoreSummary> {
  // Folders this restore creates: if it stops before its end (cancelled, drive unplugged), those left empty go again.
  const created: string[] = [];
  try {
    return await restoreTracked(repo, opts, clock, created);
  } catch (err) {
    await removeEmptyCreated(created);
    throw err;
  }
}

/** The restore itself; every folder it creates is added to `created`. */
async function restoreTracked(repo: Repo, opts: RestoreOptions, clock: Clock, created: string[]): Promise<RestoreSummary> {
  if (!repo.canRead) throw new RempartError('SECRET_REQUIRED', 'restoring needs the passphrase or the recovery key');
  const manifest = await repo.loadManifest(opts.snapshotId);
  const entries = selectEntries(manifest.entries, opts.include);
  const toOriginal = opts.target === 'original';
  const labelToRoot = new Map(manifest.sources.map((s) => [s.label, s.path]));
  const targetRoot = toOriginal ? null : resolve(opts.target);

  // Validate every destination before writing anything.
  const planned = entries.map((e) => {
    const dest = toOriginal ? destinationOriginal(labelToRoot, e.path) : destinationIn(targetRoot!, e.path);
    return { e, dest };
  });
  // A target folder created now (or empty) holds nothing to compare with or keep aside: files skip the lstat.
  const madeRoot = targetRoot ? await mkdir(targetRoot, { recursive: true }) : undefined;
  if (targetRoot) created.push(...createdChain(madeRoot, targetRoot));
  const freshTarget = targetRoot ? madeRoot !== undefined || (await readdir(targetRoot)).length === 0 : false;

  const now = new Date(clock.now());
  const summary: RestoreSummary = { filesRestored: 0, bytesRestored: 0, keptAside: [], unchanged: 0, errors: [] };
  // Manifest order: packs are then visited in about the order the backup wrote them.
  const files = planned.filter((p) => p.e.type === 'file');
  const progress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal: files.reduce((s, p) => s + p.e.size, 0), currentFile: null as string | null };
  let lastEmit = -Infinity;
  const emit = (force = false) => {
    const t = clock.now();
    if (!opts.onProgress || (!force && t - lastEmit < 250)) return;
    lastEmit = t;
    opts.onProgress({ ...progress });
  };
  const fail = (path: string, err: unknown) => {
    if (err instanceof RempartError && (err.code === 'CANCELLED' || err.code === 'DRIVE_UNPLUGGED')) throw err;
    summary.errors.push({ path, message: (err as Error)?.message ?? String(err) });
  };
  // Each parent folder is created and checked once (a restored link must never redirect writes outside the target).
  const readyDirs = new Map<string, Promise<void>>();
  const checkParent = (dest: string): Promise<void> => {
    const dir = dirname(dest);
    let ready = readyDirs.get(dir);
    if (!ready) {
      ready = mkdir(dir, { recursive: true }).then(async (first) => {
        created.push(...createdChain(first, dir));
        if (targetRoot) await assertInside(targetRoot, dir);
      });
      readyDirs.set(dir, ready);
    }
    return ready;
  };
  const cancelled = () => opts.signal?.aborted;

  // 1. folders (parents first: manifest order)
  for (const { e, dest } of planned) {
    if (e.type !== 'dir') continue;
    try {
      const made = await restoreDir(e, dest, now, toOriginal);
      created.push(...createdChain(made.created, dest));
      if (made.keptAs) summary.keptAside.push({ path: e.path, keptAs: made.keptAs });
    } catch (err) {
      fail(e.path, err);
    }
  }
  // 2. files: each needed pack is read once (streamed front to back when much of it is needed), blobs are verified
  //    in parallel and written at their offsets; each file's size is checked (and its sha256 with verifyFiles) before it
  //    is moved into place.
  const tasks: FileTask[] = [];
  await mapLimit(files, PREPARE_CONCURRENCY, async ({ e, dest }) => {
    if (cancelled()) throw new RempartError('CANCELLED', 'the restore was cancelled');
    try {
      await checkParent(dest);
      const prep = freshTarget ? ({ kind: 'write', existing: false } as const) : await prepareRegularFile(e, dest, opts.signal);
      if (prep.kind === 'unchanged') {
        summary.unchanged++;
        progress.bytesDone += e.size;
        progress.filesDone++;
        emit();
      } else tasks.push({ e, dest, existing: prep.existing });
    } catch (err) {
      fail(e.path, err);
      progress.bytesDone += e.size;
      progress.filesDone++;
    }
  });
  const order = new Map(files.map((f, i) => [f.e, i]));
  tasks.sort((a, b) => order.get(a.e)! - order.get(b.e)!);
  const written = new Map<FileTask, number>();
  await restoreFilesByPack(repo, tasks, {
    now,
    signal: opts.signal,
    verifyFiles: opts.verifyFiles,
    onBytes: (task, n) => {
      written.set(task, (written.get(task) ?? 0) + n);
      progress.bytesDone += n;
      progress.currentFile = task.e.path;
      emit();
    },
    onFile: (task, r) => {
      progress.bytesDone += task.e.size - (written.get(task) ?? 0);
      written.delete(task);
      progress.filesDone++;
      emit();
      if (r.ok) {
        summary.filesRestored++;
        summary.bytesRestored += r.bytes;
        if (r.keptAs) summary.keptAside.push({ path: task.e.path, keptAs: r.keptAs });
      } else fail(task.e.path, r.error);
    },
  });
  // 3. links, after files, so a restored link never redirects a file write
  for (const { e, dest } of planned) {
    if (e.type !== 'symlink') continue;
    try {
      await checkParent(dest);
      const r = await restoreSymlink(e, dest, now);
      if (r.kind === 'unchanged') summary.unchanged++;
      else if (r.keptAs) summary.keptAside.push({ path: e.path, keptAs: r.keptAs });
    } catch (err) {
      fail(e.path, err);
    }
  }
  // 4. folder times, deepest first
  const dirs = planned.filter((p) => p.e.type === 'dir').sort((a, b) => b.e.path.split('/').length - a.e.path.split('/').length);
  for (const { e, dest } of dirs) {
    try {
      await setDirTimes(dest, e.mtime);
    } catch (err) {
      fail(e.path, err);
    }
  }
  progress.currentFile = null;
  emit(true);
  return summary;
}

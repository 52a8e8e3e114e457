import { createReadStream } from 'node:fs';
import { chmod, lstat, stat, mkdir, open, readlink, realpath, rename, rm, rmdir, symlink, utimes, lutimes } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join, sep } from 'node:path';
import { RempartError } from '../base/errors.js';
import type { ManifestEntry } from '../repository/types.js';
import { freeKeptAsidePath } from './restore-paths.js';

/**
 * Writing one restored entry: compare with what is there, keep a different existing file aside, write to a temporary
 * name, verify every byte (each blob is verified by readBlob, the whole file by its sha256), then rename into place.
 */
export type BlobReader = (id: string) => Promise<Buffer>;

export type WriteOutcome = { kind: 'restored'; bytes: number; keptAs?: string } | { kind: 'unchanged' };

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function sha256OfFile(p: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p, { signal, highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Refuses to write through a symlinked parent that leads outside `root` (a restored link must not redirect writes). */
export async function assertInside(root: string, dir: string): Promise<void> {
  const [r, d] = await Promise.all([realpath(root), realpath(dir)]);
  if (d !== r && !d.startsWith(r.endsWith(sep) ? r : r + sep)) {
    throw new RempartError('PATH_ESCAPE', `refusing to write into ${dir}: it leads outside ${root} (${d})`, { details: { path: dir } });
  }
}

/** Moves an existing entry at `dest` aside; returns its new path. */
async function keepAside(dest: string, when: Date): Promise<string> {
  const aside = await freeKeptAsidePath(dirname(dest), basename(dest), when);
  await rename(dest, aside);
  return aside;
}

/** Whether a regular file must be written: 'unchanged' when `dest` already holds the same content. */
export async function prepareRegularFile(e: ManifestEntry, dest: string, signal?: AbortSignal): Promise<{ kind: 'unchanged' } | { kind: 'write'; existing: boolean }> {
  const existing = await lstatOrNull(dest);
  if (existing?.isFile() && existing.size === e.size && e.sha256 && (await sha256OfFile(dest, signal)) === e.sha256) return { kind: 'unchanged' };
  return { kind: 'write', existing: existing !== null };
}

/** A fresh temporary name beside `dest`. */
export function tempPathFor(dest: string): string {
  return join(dirname(dest), `.rempart-${randomBytes(6).toString('hex')}.tmp`);
}

/** Moves a complete, verified temporary file into place: mode, keeping an existing entry aside, rename, times. */
export async function commitRegularFile(e: ManifestEntry, dest: string, tmp: string, existing: boolean, now: Date): Promise<string | undefined> {
  await chmod(tmp, e.mode & 0o7777 || 0o644);
  const keptAs = existing && (await lstatOrNull(dest)) ? await keepAside(dest, now) : undefined;
  await rename(tmp, dest);
  const t = new Date(e.mtime);
  await utimes(dest, t, t);
  return keptAs;
}

export async function restoreRegularFile(
  e: ManifestEntry,
  dest: string,
  read: BlobReader,
  opts: { now: Date; onBytes?: (n: number) => void; signal?: AbortSignal },
): Promise<WriteOutcome> {
  const existing = await lstatOrNull(dest);
  let keptAs: string | undefined;
  if (existing) {
    if (existing.isFile() && existing.size === e.size && e.sha256 && (await sha256OfFile(dest, opts.signal)) === e.sha256) {
      return { kind: 'unchanged' };
    }
  }
  const dir = dirname(dest);
  const tmp = join(dir, `.rempart-${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for (const id of e.blobs ?? []) {
      if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'the restore was cancelled');
      const data = await read(id);
      hash.update(data);
      await fh.write(data, 0, data.length);
      bytes += data.length;
      opts.onBytes?.(data.length);
    }
    // no fsync per file (a restore can be run again; thousands of fsyncs would make it crawl)
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  const digest = hash.digest('hex');
  if (bytes !== e.size || (e.sha256 && digest !== e.sha256)) {
    await rm(tmp, { force: true });
    throw new RempartError('DATA_CORRUPT', `restored content of ${e.path} does not match its recorded hash`, { details: { path: e.path } });
  }
  await chmod(tmp, e.mode & 0o7777 || 0o644);
  if (existing) keptAs = await keepAside(dest, opts.now);
  await rename(tmp, dest);
  const t = new Date(e.mtime);
  await utimes(dest, t, t);
  return { kind: 'restored', bytes, keptAs };
}

export async function restoreSymlink(e: ManifestEntry, dest: string, now: Date): Promise<WriteOutcome> {
  const target = e.target ?? '';
  if (target.includes('\0')) throw new RempartError('PATH_ESCAPE', `link ${e.path} has an invalid target`, { details: { path: e.path } });
  const existing = await lstatOrNull(dest);
  let keptAs: string | undefined;
  if (existing) {
    if (existing.isSymbolicLink() && (await readlink(dest)) === target) return { kind: 'unchanged' };
    keptAs = await keepAside(dest, now);
  }
  await mkdir(dirname(dest), { recursive: true });
  await symlink(target, dest);
  const t = new Date(e.mtime);
  await lutimes(dest, t, t).catch(() => {});
  return { kind: 'restored', bytes: 0, keptAs };
}

/**
 * Creates a folder; an existing non-folder at its place is kept aside. With `followLinks` (restoring to the original
 * place) a link to a folder counts as that folder: the user may have chosen a linked folder as a source.
 * Returns the name the existing entry was kept aside as, and the first folder created (mkdir's answer), if any.
 */
export async function restoreDir(e: ManifestEntry, dest: string, now: Date, followLinks = false): Promise<{ keptAs?: string; created?: string }> {
  const existing = await lstatOrNull(dest);
  if (existing?.isDirectory()) return {};
  if (existing?.isSymbolicLink() && followLinks && (await stat(dest).catch(() => null))?.isDirectory()) return {};
  const keptAs = existing ? await keepAside(dest, now) : undefined;
  const created = await mkdir(dest, { recursive: true, mode: e.mode & 0o7777 || 0o755 });
  return { keptAs, created };
}

/** The folders a recursive mkdir of `dir` created, when it answered `first`: from `first` down to `dir`. */
export function createdChain(first: string | undefined, dir: string): string[] {
  if (first === undefined) return [];
  const chain: string[] = [];
  for (let d = dir; d.length >= first.length; d = dirname(d)) {
    chain.push(d);
    if (d === first || dirname(d) === d) break;
  }
  return chain;
}

/**
 * After a restore stopped before its end (cancelled, drive unplugged): removes the folders it created that are still
 * empty, deepest first, so that a skeleton of empty folders is not taken for restored data. Folders that hold anything,
 * and folders that existed before, are left alone.
 */
export async function removeEmptyCreated(created: Iterable<string>): Promise<void> {
  const deepestFirst = [...new Set(created)].sort((a, b) => b.split(sep).length - a.split(sep).length);
  for (const dir of deepestFirst) await rmdir(dir).catch(() => undefined); // ENOTEMPTY (or gone): kept
}

export async function setDirTimes(dest: string, mtime: string): Promise<void> {
  const t = new Date(mtime);
  await utimes(dest, t, t);
}

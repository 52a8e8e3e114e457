import { lstat } from 'node:fs/promises';
import { createHash, randomInt } from 'node:crypto';
import type { DrillResult } from '../api.js';
import { RempartError } from '../base/errors.js';
import type { Repo } from '../repository/repository.js';
import type { ManifestEntry } from '../repository/types.js';
import { destinationOriginal } from './restore-paths.js';
import { sha256OfFile } from './restore-file.js';

/**
 * Restore drill: decrypts a random sample of files of a snapshot (every blob verified) and compares them with the
 * originals on disk. A file changed on disk since the snapshot (size or mtime differ, or gone) is counted apart, not as a mismatch.
 */
export function sample<T>(items: readonly T[], n: number, pick: (max: number) => number = randomInt): T[] {
  const copy = [...items];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) {
    const i = pick(copy.length);
    out.push(copy[i]);
    copy[i] = copy[copy.length - 1];
    copy.pop();
  }
  return out;
}

async function decryptedSha256(repo: Repo, e: ManifestEntry, signal?: AbortSignal): Promise<{ sha: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for (const id of e.blobs ?? []) {
    if (signal?.aborted) throw new RempartError('CANCELLED', 'the restore drill was cancelled');
    const data = await repo.readBlob(id);
    h.update(data);
    bytes += data.length;
  }
  return { sha: h.digest('hex'), bytes };
}

export async function drillSnapshot(
  repo: Repo,
  opts: { sampleFiles?: number; snapshotId?: string; signal?: AbortSignal } = {},
): Promise<DrillResult> {
  if (!repo.canRead) throw new RempartError('SECRET_REQUIRED', 'a restore drill needs the passphrase or the recovery key');
  const manifest = await repo.loadManifest(opts.snapshotId ?? 'latest');
  const labelToRoot = new Map(manifest.sources.map((s) => [s.label, s.path]));
  const files = manifest.entries.filter((e) => e.type === 'file');
  const result: DrillResult = { snapshotId: manifest.id, filesChecked: 0, filesMatching: 0, filesChangedSince: 0, mismatches: [], bytesChecked: 0 };
  for (const e of sample(files, opts.sampleFiles ?? 20)) {
    result.filesChecked++;
    let decrypted: { sha: string; bytes: number };
    try {
      decrypted = await decryptedSha256(repo, e, opts.signal);
    } catch (err) {
      if (err instanceof RempartError && err.code === 'CANCELLED') throw err;
      result.mismatches.push({ path: e.path, message: `cannot be restored: ${(err as Error).message}` });
      continue;
    }
    result.bytesChecked += decrypted.bytes;
    if (decrypted.sha !== e.sha256 || decrypted.bytes !== e.size) {
      result.mismatches.push({ path: e.path, message: 'restored content does not match the hash recorded in the snapshot' });
      continue;
    }
    const original = destinationOriginal(labelToRoot, e.path);
    const st = await lstat(original).catch(() => null);
    if (!st || !st.isFile() || st.size !== e.size || new Date(st.mtimeMs).toISOString() !== e.mtime) {
      result.filesChangedSince++;
      continue;
    }
    const onDisk = await sha256OfFile(original, opts.signal).catch(() => null);
    if (onDisk === null) result.filesChangedSince++;
    else if (onDisk === decrypted.sha) result.filesMatching++;
    else result.mismatches.push({ path: e.path, message: 'differs from the original on disk although its size and date did not change' });
  }
  return result;
}

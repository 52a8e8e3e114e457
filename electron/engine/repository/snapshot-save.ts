/**
 * Committing a snapshot: the sealed .info (header, packs, listing) first, then the age manifest, the commit point.
 * Every blob a manifest names must already be in a written pack (flush first): a snapshot never points at nothing.
 */
import { randomBytes } from 'node:crypto';
import { RempartError } from '../base/errors.js';
import type { RepoContext } from './repo-context.js';
import { encryptManifest, infoPath, infoToSnapshot, manifestPath, sealInfo, snapshotStem, toListingRow } from './snapshot-files.js';
import { FORMAT_VERSION, type NewSnapshot, type RepoSnapshotInfo, type SnapshotInfoFile, type SnapshotManifest } from './types.js';

/** Pack ids holding the blobs of these entries (DATA_MISSING if one is not in the index). */
export function packsOf(ctx: Pick<RepoContext, 'index'>, entries: NewSnapshot['entries']): string[] {
  const packs = new Set<string>();
  for (const e of entries) {
    for (const b of e.blobs ?? []) {
      const loc = ctx.index.get(b);
      if (!loc) throw new RempartError('DATA_MISSING', `snapshot entry ${e.path} names blob ${b}, which is in no written pack`);
      packs.add(loc.packId);
    }
  }
  return [...packs].sort();
}

export async function saveSnapshotFiles(ctx: RepoContext, s: NewSnapshot): Promise<RepoSnapshotInfo> {
  const id = randomBytes(32).toString('hex');
  const time = s.time ?? new Date(ctx.clock.now()).toISOString();
  if (!Number.isFinite(Date.parse(time))) throw new RempartError('INVALID_INPUT', `invalid snapshot time ${time}`);
  const header = { version: FORMAT_VERSION, id, time, host: s.host, sources: s.sources, tags: s.tags ?? [], summary: s.summary };
  const info: SnapshotInfoFile = { ...header, packs: packsOf(ctx, s.entries), files: s.entries.map(toListingRow) };
  const manifest: SnapshotManifest = { ...header, entries: s.entries };
  const stem = snapshotStem(time, id);
  // Both files are compressed at once (zlib runs on libuv's threads), then written in order: the .info, then the .age,
  // the commit point.
  const age = encryptManifest(ctx.config.recipient, manifest);
  age.catch(() => undefined); // awaited below, once the .info is written: a failure of the manifest is reported there
  const sealed = await sealInfo(ctx.sealKey, info);
  await ctx.store.write(infoPath(stem), sealed, sealed.length, { overwrite: false });
  const ageFile = await age;
  await ctx.store.write(manifestPath(stem), ageFile, ageFile.length, { overwrite: false });
  return infoToSnapshot(stem, info);
}

/**
 * Committing a snapshot: the sealed .info (header, packs, listing) first, then the age manifest, the commit point.
 * Every blob a manifest names must already be in a written pack (flush first): a snapshot never points at nothing.
 */
import { randomBytes } from 'node:crypto';
import { RempartError } from '../base/errors.js';
import type { RepoContext } from './repo-context.js';
import {
  encryptManifest,
  encryptRenderedManifest,
  infoPath,
  infoToSnapshot,
  manifestPath,
  sealInfo,
  sealRenderedInfo,
  snapshotStem,
  toListingRow,
} from './snapshot-files.js';
import {
  FORMAT_VERSION,
  type ManifestEntry,
  type NewSnapshot,
  type RenderedEntries,
  type RepoSnapshotInfo,
  type SnapshotInfoFile,
  type SnapshotManifest,
} from './types.js';

/** Pack ids holding the blobs of these entries (DATA_MISSING if one is not in the index). */
export function packsOf(ctx: Pick<RepoContext, 'index'>, entries: readonly ManifestEntry[]): string[] {
  const packs = new Set<string>();
  for (const e of entries) {
    for (const b of e.blobs ?? []) {
      const pack = ctx.index.packIdOf(b);
      if (pack === undefined) throw new RempartError('DATA_MISSING', `snapshot entry ${e.path} names blob ${b}, which is in no written pack`);
      packs.add(pack);
    }
  }
  return [...packs].sort();
}

/** The same for rendered entries: the packs found while recording, checked, and those of the blobs written since. */
export function packsOfRendered(ctx: Pick<RepoContext, 'index'>, r: RenderedEntries): string[] {
  const packs = new Set<string>();
  for (const p of r.packs) {
    if (!ctx.index.packs.has(p)) throw new RempartError('DATA_MISSING', `the snapshot names pack ${p}, which is not in the index`);
    packs.add(p);
  }
  for (const b of r.pendingBlobs()) {
    const pack = ctx.index.packIdOf(b);
    if (pack === undefined) throw new RempartError('DATA_MISSING', `the snapshot names blob ${b}, which is in no written pack`);
    packs.add(pack);
  }
  return [...packs].sort();
}

export async function saveSnapshotFiles(ctx: RepoContext, s: NewSnapshot): Promise<RepoSnapshotInfo> {
  const id = randomBytes(32).toString('hex');
  const time = s.time ?? new Date(ctx.clock.now()).toISOString();
  if (!Number.isFinite(Date.parse(time))) throw new RempartError('INVALID_INPUT', `invalid snapshot time ${time}`);
  const header = { version: FORMAT_VERSION, id, time, host: s.host, sources: s.sources, tags: s.tags ?? [], summary: s.summary };
  const entries = s.entries; // a list, or texts a backup spooled (RenderedEntries): the same files either way
  const packs = Array.isArray(entries) ? packsOf(ctx, entries) : packsOfRendered(ctx, entries);
  const stem = snapshotStem(time, id);
  // Both files are compressed at once (zlib runs on libuv's threads), then written in order: the .info, then the .age,
  // the commit point.
  const age = Array.isArray(entries)
    ? encryptManifest(ctx.config.recipient, { ...header, entries } satisfies SnapshotManifest)
    : encryptRenderedManifest(ctx.config.recipient, header, entries.manifest());
  age.catch(() => undefined); // awaited below, once the .info is written: a failure of the manifest is reported there
  const sealed = Array.isArray(entries)
    ? await sealInfo(ctx.sealKey, { ...header, packs, files: entries.map(toListingRow) } satisfies SnapshotInfoFile)
    : await sealRenderedInfo(ctx.sealKey, { ...header, packs }, entries.listing());
  await ctx.store.write(infoPath(stem), sealed, sealed.length, { overwrite: false });
  const ageFile = await age;
  await ctx.store.write(manifestPath(stem), ageFile, ageFile.length, { overwrite: false });
  return infoToSnapshot(stem, { ...header, packs, files: [] });
}

/**
 * Prune (under the exclusive lock). With the writer key only: removes packs (and their .idx) that no snapshot's .info
 * names, once older than the grace period (an interrupted run's packs may still be reused by the next run), plus
 * dangling .idx files and orphan .info files. With the identity it also repacks packs whose live bytes fall below
 * `repackBelow`: live blobs are copied (verified) into new packs, the affected .info files are rewritten to name the
 * new packs, and only then are the old packs removed. Every step leaves a consistent repository if interrupted.
 */
import { RempartError } from '../base/errors.js';
import type { BlobIndex } from './blob-index.js';
import { INDEX_DIR } from './blob-index.js';
import { holdPackResources, indexPath, packPath } from './pack-builder.js';
import type { RepoContext } from './repo-context.js';
import type { SnapshotCatalog } from './snapshot-catalog.js';
import { infoPath, sealInfo } from './snapshot-files.js';
import type { PruneOptions, PruneResult } from './types.js';

export const ORPHAN_GRACE_MS = 60 * 60_000;
const PACK_NAME = /^data\/[0-9a-f]{2}\/([0-9a-f]{64})\.pack$/;
const INDEX_NAME = /^index\/([0-9a-f]{64})\.idx$/;

export async function runPrune(ctx: RepoContext, opts: PruneOptions): Promise<PruneResult> {
  const dry = !!opts.dryRun;
  const grace = opts.orphanGraceMs ?? ORPHAN_GRACE_MS;
  const catalog = await ctx.catalog();
  if (opts.ignoreSnapshots?.length) {
    const gone = new Set(opts.ignoreSnapshots);
    catalog.snapshots = catalog.snapshots.filter((s) => !gone.has(s.id));
  }
  if (catalog.unreadable.length > 0 || catalog.ageOnly.length > 0) {
    throw new RempartError('DATA_CORRUPT', 'some snapshot .info files are unreadable or missing; refusing to prune (run check)', {
      details: { path: catalog.unreadable[0]?.path ?? `snapshots/${catalog.ageOnly[0]}.info` },
    });
  }
  const used = new Set(catalog.snapshots.flatMap((s) => s.packs));
  if (!dry) for (const stem of catalog.orphanInfos) await ctx.store.remove(infoPath(stem));
  // Temporary files of interrupted writes (kill -9, unplug): never read, safe to drop under the exclusive lock.
  if (!dry) await ctx.store.sweepTemporary?.(grace);

  const packFiles = new Map<string, number>();
  for (const f of await ctx.store.list('data')) {
    const m = PACK_NAME.exec(f.path);
    if (m) packFiles.set(m[1], f.size);
  }
  const result: PruneResult = { packsRemoved: 0, bytesFreed: 0, packsRepacked: 0 };
  const removed: string[] = [];
  for (const [id, size] of packFiles) {
    if (used.has(id)) continue;
    const created = Date.parse(ctx.index.packs.get(id)?.pack.createdAt ?? '');
    if (Number.isFinite(created) && ctx.clock.now() - created < grace) continue;
    if (!dry) await removePack(ctx, id);
    removed.push(id);
    result.packsRemoved++;
    result.bytesFreed += size;
  }
  for (const f of await ctx.store.list(INDEX_DIR)) {
    const m = INDEX_NAME.exec(f.path);
    if (m && !packFiles.has(m[1]) && !used.has(m[1]) && !dry) await ctx.store.remove(f.path);
  }
  if (!dry) ctx.index.removePacks(removed);

  if (ctx.identity && ctx.reader && (opts.repackBelow ?? 0.5) > 0) {
    const r = await repack(ctx, catalog, used, opts.repackBelow ?? 0.5, dry);
    result.packsRepacked = r.repacked;
    result.packsRemoved += r.repacked;
    result.bytesFreed += r.bytesFreed;
  }
  return result;
}

async function removePack(ctx: RepoContext, id: string): Promise<void> {
  await ctx.store.remove(packPath(id));
  await ctx.store.remove(indexPath(id));
  ctx.reader?.forget(id);
}

function liveFraction(index: BlobIndex, packId: string, alive: Set<string>): number {
  const idx = index.packs.get(packId);
  if (!idx) return 1;
  let total = 0;
  let live = 0;
  for (const b of idx.blobs) {
    total += b.length;
    if (alive.has(b.id)) live += b.length;
  }
  return total === 0 ? 0 : live / total;
}

async function repack(
  ctx: RepoContext,
  catalog: SnapshotCatalog,
  used: Set<string>,
  below: number,
  dry: boolean,
): Promise<{ repacked: number; bytesFreed: number }> {
  const reader = ctx.reader;
  if (!reader) return { repacked: 0, bytesFreed: 0 };
  const alive = new Set<string>();
  const blobsOf = new Map<string, string[]>();
  for (const s of catalog.snapshots) {
    const m = await ctx.manifest(s); // a manifest that cannot be read aborts: we would not know what is alive
    const ids = m.entries.flatMap((e) => e.blobs ?? []);
    blobsOf.set(s.id, ids);
    for (const b of ids) alive.add(b);
  }
  const candidates = [...used].filter((id) => ctx.index.packs.has(id) && liveFraction(ctx.index, id, alive) < below);
  if (candidates.length === 0 || dry) return { repacked: candidates.length, bytesFreed: 0 };
  const cand = new Set(candidates);
  const writer = ctx.newPackWriter();
  const copied = new Set<string>();
  let oldBytes = 0;
  const releasePacking = holdPackResources();
  let fresh: string[];
  try {
    for (const packId of candidates) {
      const idx = ctx.index.packs.get(packId);
      if (!idx) continue;
      oldBytes += idx.pack.size;
      for (const entry of idx.blobs) {
        if (!alive.has(entry.id) || copied.has(entry.id)) continue;
        const loc = { packId, packSize: idx.pack.size, entry };
        const stored = await reader.readStored(loc);
        await reader.verify(packId, entry, stored);
        await writer.add(entry.id, { codec: entry.codec, data: stored, rawLength: entry.rawLength });
        copied.add(entry.id);
      }
    }
    fresh = await writer.flush();
  } finally {
    await releasePacking();
  }
  const newLoc = new Map<string, string>();
  for (const id of fresh) for (const b of ctx.index.packs.get(id)?.blobs ?? []) newLoc.set(b.id, id);
  // Point every affected snapshot at the new packs before anything is removed.
  for (const s of catalog.snapshots) {
    if (!s.packs.some((p) => cand.has(p))) continue;
    const info = catalog.infos.get(s.id);
    if (!info) continue;
    const packs = new Set<string>();
    for (const b of blobsOf.get(s.id) ?? []) {
      const at = ctx.index.get(b)?.packId;
      const p = at && !cand.has(at) ? at : newLoc.get(b);
      if (!p) throw new RempartError('DATA_MISSING', `repack: blob ${b} of snapshot ${s.id} has no new location`);
      packs.add(p);
    }
    info.packs = [...packs].sort();
    const sealed = await sealInfo(ctx.sealKey, info);
    await ctx.store.write(infoPath(s.name), sealed, sealed.length, { overwrite: true });
  }
  for (const id of candidates) await removePack(ctx, id);
  ctx.index.removePacks(candidates);
  return { repacked: candidates.length, bytesFreed: Math.max(0, oldBytes - writer.bytesWritten) };
}

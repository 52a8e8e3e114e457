import type { ManifestEntry, RenderedEntries } from '../repository/types.js';
import { toListingRow } from '../repository/snapshot-files.js';
import type { BackupTarget } from './backup-targets.js';
import { cacheRecordText } from './file-cache.js';
import { removeStaleSpools, TextSpool } from './text-spool.js';

/**
 * What a backup has recorded about its files, written out as each file completes (TextSpool: a temporary file in the
 * local cache) rather than held in memory until the commit: each entry's listing row (shared by all repositories), and
 * for each group of repositories (same writer key, same blob ids) its manifest entry and its file-cache record. The
 * engine's memory then stays flat however many files a shop has, and the commit only streams these texts into the
 * snapshot's files (RenderedEntries) and the new file cache.
 *
 * The blobs each repository's snapshot will name are followed here too, compactly: the pack of each blob already
 * written, or, for a blob still on its way to a pack, its id (32 bytes), located at the commit.
 */

/** A file whose content was recorded (read now, or unchanged according to the file cache). */
export interface RecordedFileEntry {
  entry: Omit<ManifestEntry, 'blobs'>;
  /** Blob ids per group of repositories. */
  blobsByGroup: ReadonlyMap<string, readonly string[]>;
  /** For the file cache; null when the file must be read again next time (it changed while being read). */
  stat: { size: number; mtimeMs: number; ino: number; dev: number } | null;
  abs: string;
}

const ID_BYTES = 32;

/** The blobs one repository's snapshot names: packs known at once, ids of blobs not yet in a written pack. */
class BlobReferences {
  readonly packs = new Set<string>();
  private pending = Buffer.allocUnsafe(64 * ID_BYTES);
  private count = 0;

  note(target: BackupTarget, ids: readonly string[]): void {
    for (const id of ids) {
      const pack = target.repo.packIdOf(id);
      if (pack !== undefined) {
        this.packs.add(pack);
        continue;
      }
      if ((this.count + 1) * ID_BYTES > this.pending.length) {
        const bigger = Buffer.allocUnsafe(this.pending.length * 2);
        this.pending.copy(bigger, 0, 0, this.count * ID_BYTES);
        this.pending = bigger;
      }
      this.pending.write(id, this.count++ * ID_BYTES, ID_BYTES, 'hex');
    }
  }

  *pendingIds(): Generator<string> {
    for (let i = 0; i < this.count; i++) yield this.pending.toString('hex', i * ID_BYTES, (i + 1) * ID_BYTES);
  }
}

interface GroupSpool {
  manifest: TextSpool;
  cache: TextSpool;
}

export class BackupSpool {
  private readonly listing: TextSpool;
  private readonly groups = new Map<string, GroupSpool>();
  private readonly refs = new Map<BackupTarget, BlobReferences>();
  /** Files recorded, and their bytes. */
  files = 0;
  totalBytes = 0;

  /** `dir`: a local folder for the temporary files (null: kept in memory). */
  constructor(
    dir: string | null,
    private readonly targets: readonly BackupTarget[],
  ) {
    if (dir !== null) removeStaleSpools(dir); // left by a run killed midway
    this.listing = new TextSpool(dir, 'listing');
    for (const t of targets) {
      if (!this.groups.has(t.group)) {
        const n = this.groups.size;
        this.groups.set(t.group, { manifest: new TextSpool(dir, `manifest-${n}`), cache: new TextSpool(dir, `files-${n}`) });
      }
      this.refs.set(t, new BlobReferences());
    }
  }

  /** A folder or a link: the same entry for every repository. */
  addEntry(entry: Omit<ManifestEntry, 'blobs' | 'sha256'>): void {
    this.listing.add(JSON.stringify(toListingRow(entry)));
    const text = JSON.stringify(entry);
    for (const g of this.groups.values()) g.manifest.add(text);
  }

  addFile(f: RecordedFileEntry): void {
    this.listing.add(JSON.stringify(toListingRow(f.entry)));
    for (const [group, g] of this.groups) {
      const blobs = f.blobsByGroup.get(group);
      if (!blobs) continue; // a group whose repositories all failed before this file: never committed
      g.manifest.add(JSON.stringify({ ...f.entry, blobs }));
      if (f.stat && f.entry.sha256) g.cache.add(cacheRecordText(f.abs, { ...f.stat, blobs, sha256: f.entry.sha256 }));
    }
    for (const [t, refs] of this.refs) {
      const blobs = f.blobsByGroup.get(t.group);
      if (blobs && t.live) refs.note(t, blobs);
    }
    this.files++;
    this.totalBytes += f.entry.size;
  }

  /** The snapshot entries of `target`, for Repo.saveSnapshot. */
  entriesFor(target: BackupTarget): RenderedEntries {
    const g = this.groups.get(target.group);
    const refs = this.refs.get(target);
    if (!g || !refs) throw new Error(`internal: no spool for repository ${target.repo.id}`);
    return {
      manifest: () => g.manifest.read(),
      listing: () => this.listing.read(),
      packs: refs.packs,
      pendingBlobs: () => refs.pendingIds(),
    };
  }

  /** The new file cache of `target` (the members of its `files` object), for FileCache.save. */
  cacheFor(target: BackupTarget): AsyncIterable<Buffer> {
    const g = this.groups.get(target.group);
    if (!g) throw new Error(`internal: no spool for repository ${target.repo.id}`);
    return g.cache.read();
  }

  /** Removes the temporary files. */
  close(): void {
    this.listing.close();
    for (const g of this.groups.values()) {
      g.manifest.close();
      g.cache.close();
    }
  }
}

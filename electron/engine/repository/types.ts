/**
 * Shapes of the repository layer (format v1, see docs/FORMAT.md). The jobs layer builds backups, restores and
 * the public Repository facade on these.
 */
import type { Clock } from '../base/clock.js';
import type { EntryType, SnapshotInfo, SnapshotSummary, WriterCredentials } from '../api.js';

export const FORMAT_NAME = 'rempart-repository';
export const FORMAT_VERSION = 1;

/** Codec recorded per blob (content/compression.ts): 'raw', 'brotli' ("br" in pack entry names), 'zstd' ("zst"). */
export type { Codec } from '../content/compression.js';
import type { Codec } from '../content/compression.js';

/** config.json (plain JSON, readable without any secret). */
export interface RepoConfig {
  format: typeof FORMAT_NAME;
  version: number;
  id: string;
  createdAt: string;
  /** age X25519 recipient ("age1…") every pack, manifest and key file is encrypted to. */
  recipient: string;
  /** Content-defined chunking parameters (see electron/engine/content/README.md). */
  chunker: Record<string, unknown>;
  /** Target pack size in bytes. */
  packSize: number;
  codecs: string[];
  /** Hex HMAC-SHA-256(idKey, "rempart/v1/writer-key-check"): tells a wrong writer key at open. */
  writerCheck?: string;
}

/** A blob as handed to the repository: already compressed by its codec. */
export interface StoredBlob {
  codec: Codec;
  /** The blob after its codec (what goes into the pack). */
  data: Buffer;
  /** Length of the plaintext before the codec. */
  rawLength: number;
}

/** One blob's location, from index/<packId>.idx. */
export interface IndexEntry {
  id: string;
  codec: Codec;
  /** Offset of the entry's data inside the (decrypted) zip. */
  offset: number;
  /** Stored length (after codec). */
  length: number;
  rawLength: number;
}

/** Plaintext of index/<packId>.idx (sealed with the writer's seal key). */
export interface PackIndexFile {
  pack: { id: string; size: number; sha256: string; createdAt?: string };
  blobs: IndexEntry[];
}

/** Where a source folder came from; `label` is the first path segment of its entries. */
export interface SnapshotSource {
  label: string;
  path: string;
}

/** One entry of a manifest (snapshots/<name>.age). */
export interface ManifestEntry {
  path: string; // '/'-separated, first segment = source label
  type: EntryType;
  size: number;
  mtime: string; // ISO 8601
  mode: number;
  sha256?: string; // files: hash of the whole content
  blobs?: string[]; // files: blob ids in order
  target?: string; // symlinks
}

/** What the backup job hands to saveSnapshot (id, packs and time are filled by the repository when absent). */
export interface NewSnapshot {
  time?: string;
  host: string;
  sources: SnapshotSource[];
  tags?: string[];
  summary: SnapshotSummary;
  entries: ManifestEntry[] | RenderedEntries;
}

/**
 * A snapshot's entries already written out as JSON text, as a backup spools them while its files complete
 * (jobs/backup-spool.ts) instead of holding every entry until the commit. The files written are those `entries` as an
 * array would give; the repository checks the blobs against its index the same way.
 */
export interface RenderedEntries {
  /** The JSON texts of the ManifestEntry objects, in order, separated by commas: the body of the manifest's entries array. */
  manifest(): AsyncIterable<Buffer>;
  /** The JSON texts of their listing rows (ListingRow), in the same order, separated by commas. */
  listing(): AsyncIterable<Buffer>;
  /** Packs holding blobs the entries name, found in the index when their files were recorded. */
  packs: Iterable<string>;
  /** Blobs the entries name that were in no written pack yet then: each must be in one now (else DATA_MISSING). */
  pendingBlobs(): Iterable<string>;
}

/** A decrypted manifest (no pack list: packs are found through the index, so a repack never rewrites manifests). */
export interface SnapshotManifest {
  version: number;
  id: string;
  time: string;
  host: string;
  sources: SnapshotSource[];
  tags: string[];
  summary: SnapshotSummary;
  entries: ManifestEntry[];
}

/** Listing row in the .info file: [path, type, size, mtimeISO, mode, linkTarget?]. */
export type ListingRow = [string, EntryType, number, string, number] | [string, EntryType, number, string, number, string];

/** Plaintext of snapshots/<name>.info (sealed; readable with the writer key). */
export interface SnapshotInfoFile {
  version: number;
  id: string;
  time: string;
  host: string;
  sources: SnapshotSource[];
  tags: string[];
  summary: SnapshotSummary;
  packs: string[];
  files: ListingRow[];
}

/** SnapshotInfo (api.ts) plus what the repository layer knows. `sources` holds the source paths. */
export interface RepoSnapshotInfo extends SnapshotInfo {
  /** File stem under snapshots/ ("20261124T193000Z-ab12cd34"). */
  name: string;
  sourceRoots: SnapshotSource[];
  packs: string[];
}

export interface CreateOptions {
  passphrase: string;
  shareKeysWith?: { recoveryKey: string; writer: WriterCredentials };
  packSize?: number;
  clock?: Clock;
  /** age scrypt work factor (log2 N) for keys/identity.age; default 16 (REPO_SCRYPT_WORK_FACTOR). Tests use a small one. */
  scryptWorkFactor?: number;
  /** Chunker parameters to record; default: the content layer's. */
  chunker?: Record<string, unknown>;
}

export interface OpenRepoOptions {
  cacheDir?: string;
  clock?: Clock;
  lockWaitMs?: number;
  /** Work factor used when re-wrapping the identity (changePassphrase). */
  scryptWorkFactor?: number;
  /** Host name written in locks (default os.hostname()). */
  host?: string;
  /** IANA time zone for retention buckets (default: the process's local zone). */
  timeZone?: string;
}

export type LockKind = 'exclusive' | 'shared';

/** Plain JSON of locks/<host>-<pid>-<rand>.json. */
export interface LockFile {
  host: string;
  pid: number;
  kind: LockKind;
  createdAt: string;
  refreshedAt: string;
}

export interface PruneOptions {
  dryRun?: boolean;
  /** Repack packs under this fraction of live bytes (default 0.5); needs the identity. */
  repackBelow?: number;
  /** Orphan packs (no snapshot uses them) younger than this are kept (default 1 h): an interrupted run may be resumed. */
  orphanGraceMs?: number;
  /** Treat these snapshots as gone (a dry run of forget + prune). */
  ignoreSnapshots?: string[];
}

export interface PruneResult {
  packsRemoved: number;
  bytesFreed: number;
  packsRepacked: number;
}

export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
export const MIN_PACK_SIZE = 4 * 1024 * 1024;
export const MAX_PACK_SIZE = 1024 * 1024 * 1024;

export function clampPackSize(size: number | undefined): number {
  if (size === undefined || !Number.isFinite(size)) return DEFAULT_PACK_SIZE;
  return Math.min(MAX_PACK_SIZE, Math.max(MIN_PACK_SIZE, Math.floor(size)));
}

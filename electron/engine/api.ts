/**
 * Types of the engine's public facade (electron/engine/index.ts). The host (orchestrator, CLI, bridge) imports
 * the engine only through index.ts; this file holds the shapes so they can be read in one place.
 */
import type { BlobStore } from './repository/blob-store.js';
import type { Clock } from './base/clock.js';
import type { ErrorInfo } from '../contract/errors.js';

/** What a machine needs to back up (write-only): no way to decrypt old data with this. */
export interface WriterCredentials {
  repoId: string;
  /** age X25519 recipient, "age1…" */
  recipient: string;
  /** base64 32-byte writer key (keys blob ids and seals the index) */
  writerKey: string;
}

export type RepoSecret =
  | { passphrase: string }
  | { recoveryKey: string } // "AGE-SECRET-KEY-1…"
  | { writer: WriterCredentials };

export interface InitOptions {
  store: BlobStore;
  passphrase: string;
  /** Reuse the keys of another repository (the shop's second copy) so both dedup alike and one read feeds both. Needs that repo's identity. */
  shareKeysWith?: { recoveryKey: string; writer: WriterCredentials };
  /** Target pack size in bytes (default 16 MiB, clamped to 4 MiB..1 GiB). */
  packSize?: number;
  clock?: Clock;
}

export interface InitResult {
  repoId: string;
  /** The repository's age identity: shown once, printed on the recovery sheet. */
  recoveryKey: string;
  credentials: WriterCredentials;
}

export interface OpenOptions {
  /** Local cache folder (file metadata of the last snapshot, index copy). Default: OS cache dir / rempart / repoId. */
  cacheDir?: string;
  clock?: Clock;
  /** Lock wait in ms before failing with REPOSITORY_LOCKED (default 0: fail at once). */
  lockWaitMs?: number;
}

export interface SnapshotSummary {
  files: number;
  dirs: number;
  /** Bytes of all files in the snapshot. */
  totalBytes: number;
  /** Bytes read from disk this run (unchanged files are not re-read). */
  bytesRead: number;
  /** New bytes written to the repository this run (compressed, encrypted, pack overhead included). */
  bytesStored: number;
  newBlobs: number;
  skipped: number;
  durationMs: number;
}

export interface SnapshotInfo {
  id: string;
  time: string; // ISO 8601 UTC
  host: string;
  sources: string[];
  tags: string[];
  summary: SnapshotSummary;
}

export type EntryType = 'file' | 'dir' | 'symlink';

export interface FileEntry {
  path: string; // '/'-separated, relative to the snapshot root ("Compta/ventes 2024.db"); first segment = source label
  type: EntryType;
  size: number;
  mtime: string; // ISO
  mode: number;
  sha256?: string; // files only
  linkTarget?: string; // symlinks only
}

export interface BackupProgress {
  phase: 'scanning' | 'backing-up' | 'finishing' | 'verifying';
  filesDone: number;
  filesTotal: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  bytesStored: number;
  currentFile: string | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export interface SkippedItem {
  path: string;
  reason: 'vanished' | 'unreadable' | 'locked' | 'changed-while-reading' | 'unsupported-type' | 'other';
  message: string;
}

export interface BackupOptions {
  /** One or more repositories opened with at least writer credentials; the sources are read and chunked once for all. */
  repositories: Repository[];
  sources: string[];
  excludes?: string[]; // globs (minimatch-style: "*.tmp", "**/node_modules", "Cache/")
  host?: string;
  tags?: string[];
  onProgress?: (p: BackupProgress) => void;
  signal?: AbortSignal;
  clock?: Clock;
}

export type BackupOutcome =
  | { repositoryId: string; ok: true; snapshot: SnapshotInfo; newPacks: string[]; skipped: SkippedItem[] }
  | { repositoryId: string; ok: false; error: ErrorInfo };

export interface RestoreOptions {
  snapshotId: string; // id, unique prefix, or "latest"
  /** Folder to restore into; or 'original' to put each source back where it was. */
  target: string | 'original';
  /** Snapshot paths (files or folders) to restore; empty = everything. */
  include?: string[];
  /**
   * Also compare each restored file, once written, with the SHA-256 of the whole file recorded in the snapshot (a
   * multi-part file is read back). Every byte is verified without it: each blob against its keyed id before it is
   * written. This second check catches only a fault of the restore itself; it costs about a tenth more time.
   */
  verifyFiles?: boolean;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; currentFile: string | null }) => void;
  signal?: AbortSignal;
}

export interface RestoreSummary {
  filesRestored: number;
  bytesRestored: number;
  /** Existing different files that were kept aside, with their new names. */
  keptAside: { path: string; keptAs: string }[];
  /** Files already identical at the destination (not rewritten). */
  unchanged: number;
  errors: { path: string; message: string }[];
}

export interface CheckOptions {
  readData?: boolean; // decrypt and verify every blob (needs the identity)
  /** Only these packs (e.g. the ones a run just wrote). */
  packs?: string[];
  /** Re-check a random fraction (0..1) of packs (weekly sample). */
  sample?: number;
  onProgress?: (p: { packsDone: number; packsTotal: number; bytesDone: number }) => void;
  signal?: AbortSignal;
}

export interface CheckProblem {
  kind: 'pack-missing' | 'pack-size' | 'pack-hash' | 'blob-corrupt' | 'snapshot-unreadable' | 'index-unreadable' | 'blob-missing';
  path: string;
  message: string;
}

export interface CheckReport {
  ok: boolean;
  packsChecked: number;
  bytesChecked: number;
  snapshotsChecked: number;
  problems: CheckProblem[];
}

export interface RetentionPolicy {
  keepLast?: number;
  /**
   * Every snapshot taken within this many hours before the newest one is kept (restic's --keep-within): with several runs
   * a day, the earlier points of the last hours are not forgotten at the next run.
   */
  keepWithinHours?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  /** -1 keeps every yearly point. */
  keepYearly?: number;
}

export interface ForgetResult {
  kept: string[];
  removed: string[];
  prune?: { packsRemoved: number; bytesFreed: number; packsRepacked: number };
}

export interface DrillResult {
  snapshotId: string;
  filesChecked: number;
  filesMatching: number;
  /** Files that changed on disk since the snapshot (not a failure). */
  filesChangedSince: number;
  mismatches: { path: string; message: string }[];
  bytesChecked: number;
}

export interface Repository {
  readonly id: string;
  readonly location: string;
  /** True when opened with the passphrase or recovery key (can restore); false with writer credentials only. */
  readonly canRead: boolean;
  credentials(): WriterCredentials;
  listSnapshots(): Promise<SnapshotInfo[]>;
  listFiles(snapshotId: string): Promise<FileEntry[]>;
  diff(a: string, b: string): Promise<{ added: string[]; removed: string[]; modified: string[] }>;
  restore(opts: RestoreOptions): Promise<RestoreSummary>;
  check(opts?: CheckOptions): Promise<CheckReport>;
  forget(policy: RetentionPolicy, opts?: { prune?: boolean; dryRun?: boolean }): Promise<ForgetResult>;
  /** Restore drill: decrypts a random sample of files of the latest snapshot and compares them with the originals on disk. */
  drill(opts?: { sampleFiles?: number; snapshotId?: string; signal?: AbortSignal }): Promise<DrillResult>;
  changePassphrase(newPassphrase: string): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_RETENTION: Required<RetentionPolicy> = {
  keepLast: 0,
  keepWithinHours: 0,
  keepDaily: 14,
  keepWeekly: 8,
  keepMonthly: 24,
  keepYearly: -1,
};

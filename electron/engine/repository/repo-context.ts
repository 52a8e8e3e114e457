/**
 * What check and prune need from an open repository (kept apart from repository.ts so they do not import it).
 */
import type { Clock } from '../base/clock.js';
import type { BlobStore } from './blob-store.js';
import type { BlobIndex } from './blob-index.js';
import type { PackReader } from './pack-reader.js';
import type { PackWriter } from './pack-writer.js';
import type { SnapshotCatalog } from './snapshot-catalog.js';
import type { RepoConfig, RepoSnapshotInfo, SnapshotManifest } from './types.js';

export interface RepoContext {
  store: BlobStore;
  config: RepoConfig;
  clock: Clock;
  /** null with writer credentials only. */
  identity: string | null;
  idKey: Buffer;
  sealKey: Buffer;
  index: BlobIndex;
  /** null with writer credentials only. */
  reader: PackReader | null;
  catalog(): Promise<SnapshotCatalog>;
  /** Needs the identity. */
  manifest(snapshot: RepoSnapshotInfo): Promise<SnapshotManifest>;
  /** A fresh pack writer feeding this repository's index. */
  newPackWriter(): PackWriter;
}

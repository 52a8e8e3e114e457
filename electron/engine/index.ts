/**
 * The engine's facade: the only module the host, the shell and the CLI import (with api.ts and base/clock.ts).
 */
import type { InitOptions, InitResult, OpenOptions, RepoSecret, Repository } from './api.js';
import { systemClock } from './base/clock.js';
import type { BlobStore } from './repository/blob-store.js';
import { hasConfig } from './repository/config-file.js';
import { createRepository, openRepo } from './repository/repository.js';
import { defaultCacheDir } from './jobs/cache-dir.js';
import { EngineRepository } from './jobs/engine-repository.js';

export * from './api.js';
export type { BlobStore } from './repository/blob-store.js';
export type { ErrorInfo, ErrorCode } from '../contract/errors.js';
export { RempartError, isRempartError, toErrorInfo } from './base/errors.js';
export { backup } from './jobs/backup.js';
export { openStore, isRemoteLocation, type StoreOptions } from './open-store.js';
export { DEFAULT_EXCLUDES } from './jobs/excludes.js';
export {
  writeDriveMarker,
  readDriveMarker,
  listMountedDrives,
  findEnrolledDrives,
  DRIVE_MARKER_FILE,
  type DriveMarker,
  type MountedDrive,
} from './targets/local/drive-marker.js';
export { assertContentRuntimeSupport, cryptoBackend } from './content/runtime-support.js';

export interface EngineInitOptions extends InitOptions {
  /** age scrypt work factor (log2 N) for the passphrase-wrapped identity; default 16 (see docs/FORMAT.md). Tests use a small one. */
  scryptWorkFactor?: number;
}

/** Creates a repository in an empty store. Returns the recovery key (shown once) and the writer credentials. */
export function initRepository(opts: EngineInitOptions): Promise<InitResult> {
  return createRepository(opts.store, {
    passphrase: opts.passphrase,
    shareKeysWith: opts.shareKeysWith,
    packSize: opts.packSize,
    clock: opts.clock,
    scryptWorkFactor: opts.scryptWorkFactor,
  });
}

export interface EngineOpenOptions extends OpenOptions {
  /** Work factor used if the passphrase is changed through this handle. */
  scryptWorkFactor?: number;
}

/** Opens a repository with the passphrase, the recovery key, or write-only credentials. */
export async function openRepository(store: BlobStore, secret: RepoSecret, opts: EngineOpenOptions = {}): Promise<Repository> {
  const clock = opts.clock ?? systemClock;
  const repo = await openRepo(store, secret, {
    cacheDir: opts.cacheDir,
    clock,
    lockWaitMs: opts.lockWaitMs,
    scryptWorkFactor: opts.scryptWorkFactor,
  });
  return new EngineRepository(repo, opts.cacheDir ?? defaultCacheDir(repo.id), clock);
}

/** True when the store holds a Rempart repository (its config.json), whatever its version. */
export function isRepository(store: BlobStore): Promise<boolean> {
  return hasConfig(store);
}

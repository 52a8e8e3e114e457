/**
 * What the host uses of the engine facade, in one place.
 */
import { join } from 'node:path';
import * as engine from '../engine/index.js';

export type Store = engine.BlobStore;
export type { Repository, RepoSecret, WriterCredentials, SnapshotInfo, BackupOutcome } from '../engine/index.js';

export type DriveMarkerInfo = Pick<engine.DriveMarker, 'driveId' | 'label' | 'targetId'>;

export interface EngineTuning {
  /** age scrypt work factor for passphrase wrapping (tests use a small one; default: the engine's). */
  scryptWorkFactor?: number;
}

export function writeDriveMarker(volumeRoot: string, m: { label: string; targetId: string }): Promise<DriveMarkerInfo> {
  return engine.writeDriveMarker(volumeRoot, m);
}

/** The drive's marker, or null when absent, unreadable or the drive is gone. */
export function readDriveMarker(volumeRoot: string): Promise<DriveMarkerInfo | null> {
  return engine.readDriveMarker(volumeRoot).catch(() => null);
}

/** The WebDAV address with the user name in it (the engine takes the user from the URL, the password apart). */
export function davUrl(url: string, username: string): string {
  if (!username) return url;
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  return u.toString();
}

/** The folder of the repository on an enrolled drive. */
export function usbRepoPath(mountPath: string): string {
  return join(mountPath, 'Rempart');
}

export const initRepository = engine.initRepository;
export const openRepository = engine.openRepository;
export const openStore = engine.openStore;
export const isRepository = engine.isRepository;
export const runBackup = engine.backup;

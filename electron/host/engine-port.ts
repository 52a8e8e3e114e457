/**
 * What the host uses of the engine facade, in one place. Drive-marker helpers are taken from the facade when it exports
 * them; until then a compatible fallback reads and writes the same `.rempart-drive.json` marker at the volume root.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as engine from '../engine/index.js';
import { writeFileAtomic } from './fs-atomic.js';

export type Store = engine.BlobStore;
export type { Repository, RepoSecret, WriterCredentials, SnapshotInfo, BackupOutcome } from '../engine/index.js';

export interface DriveMarkerInfo {
  driveId: string;
  label: string;
  targetId: string;
}

export interface EngineTuning {
  /** age scrypt work factor for passphrase wrapping (tests use a small one; default: the engine's). */
  scryptWorkFactor?: number;
}

const MARKER = '.rempart-drive.json';

type MarkerFns = {
  writeDriveMarker?: (root: string, m: { label: string; targetId: string }) => Promise<DriveMarkerInfo>;
  readDriveMarker?: (root: string) => Promise<DriveMarkerInfo | null>;
};
const facadeMarkers = engine as unknown as MarkerFns;

export async function writeDriveMarker(volumeRoot: string, m: { label: string; targetId: string }): Promise<DriveMarkerInfo> {
  if (facadeMarkers.writeDriveMarker) return facadeMarkers.writeDriveMarker(volumeRoot, m);
  const marker = { version: 1, driveId: randomUUID(), label: m.label, targetId: m.targetId, createdAt: new Date().toISOString() };
  await writeFileAtomic(join(volumeRoot, MARKER), JSON.stringify(marker, null, 2) + '\n');
  return marker;
}

export async function readDriveMarker(volumeRoot: string): Promise<DriveMarkerInfo | null> {
  if (facadeMarkers.readDriveMarker) return facadeMarkers.readDriveMarker(volumeRoot).catch(() => null);
  try {
    const v = JSON.parse(await readFile(join(volumeRoot, MARKER), 'utf8')) as Partial<DriveMarkerInfo>;
    if (typeof v?.driveId !== 'string' || typeof v.targetId !== 'string') return null;
    return { driveId: v.driveId, label: typeof v.label === 'string' ? v.label : '', targetId: v.targetId };
  } catch {
    return null;
  }
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

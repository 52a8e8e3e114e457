/**
 * USB drive enrolment: a small JSON marker at the volume root (`<volumeRoot>/.rempart-drive.json`) names the drive,
 * so Rempart finds it whatever letter or mount point it gets, and never writes to a drive it did not enrol.
 * Pure node:fs (no native addons). Linux is tested; macOS and Windows mount locations are coded from their conventions.
 */
import { randomUUID } from 'node:crypto';
import { constants as fsc, promises as fsp } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { fsErrorToRempart, isUnplugErrno, RempartError } from '../../base/errors.js';

export const DRIVE_MARKER_FILE = '.rempart-drive.json';
export const DRIVE_MARKER_VERSION = 1;

export interface DriveMarker {
  version: number;
  driveId: string;
  label: string;
  targetId: string;
  createdAt: string; // ISO 8601
}

export interface MountedDrive {
  mountPath: string;
  /** Folder name (Linux/macOS: the volume label), or the marker label / drive letter on Windows. */
  label: string;
  free: number | null;
  total: number | null;
  marker: DriveMarker | null;
  /** True when the folder is a mount point of its own (its device differs from its parent's). */
  isMountPoint: boolean;
}

export function markerPath(volumeRoot: string): string {
  return join(volumeRoot, DRIVE_MARKER_FILE);
}

/** Writes the marker atomically (temp file, fsync, rename, directory fsync). Returns what was written. */
export async function writeDriveMarker(
  volumeRoot: string,
  m: { label: string; targetId: string; driveId?: string; createdAt?: string },
): Promise<DriveMarker> {
  const marker: DriveMarker = {
    version: DRIVE_MARKER_VERSION,
    driveId: m.driveId ?? randomUUID(),
    label: m.label,
    targetId: m.targetId,
    createdAt: m.createdAt ?? new Date().toISOString(),
  };
  const final = markerPath(volumeRoot);
  const tmp = join(volumeRoot, `.tmp-marker-${randomUUID().slice(0, 8)}`);
  try {
    const fh = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL);
    try {
      await fh.writeFile(JSON.stringify(marker, null, 2) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, final);
    await fsyncDir(volumeRoot);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw fsErrorToRempart(err, `writing drive marker on ${volumeRoot}`);
  }
  return marker;
}

/** Reads the marker; null when absent or not a valid Rempart marker. Unplug errnos become DRIVE_UNPLUGGED. */
export async function readDriveMarker(volumeRoot: string): Promise<DriveMarker | null> {
  let text: string;
  try {
    text = await fsp.readFile(markerPath(volumeRoot), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw fsErrorToRempart(err, `reading drive marker on ${volumeRoot}`);
  }
  return parseDriveMarker(text);
}

export function parseDriveMarker(text: string): DriveMarker | null {
  try {
    const v = JSON.parse(text) as Partial<DriveMarker>;
    if (typeof v !== 'object' || v === null) return null;
    if (typeof v.driveId !== 'string' || !v.driveId || typeof v.targetId !== 'string') return null;
    return {
      version: typeof v.version === 'number' ? v.version : 1,
      driveId: v.driveId,
      label: typeof v.label === 'string' ? v.label : '',
      targetId: v.targetId,
      createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
    };
  } catch {
    return null;
  }
}

/** Fails with DRIVE_UNPLUGGED unless `volumeRoot` carries the marker with `driveId`. */
export async function assertDriveMarker(volumeRoot: string, driveId: string): Promise<void> {
  const m = await readDriveMarker(volumeRoot);
  if (!m || m.driveId !== driveId) {
    throw new RempartError('DRIVE_UNPLUGGED', `drive ${driveId} is no longer at ${volumeRoot} (marker ${m ? `is ${m.driveId}` : 'missing'})`, {
      retryable: true,
      details: { volumeRoot, driveId },
    });
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, fsc.O_RDONLY);
    await fh.sync();
  } catch (err) {
    // Windows cannot open directories; some FUSE file systems refuse fsync on them. Only unplugs matter here.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (isUnplugErrno(code)) throw fsErrorToRempart(err, `fsync of ${dir}`);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Parent folders whose sub-folders are mounted drives (Linux, macOS), or the drives themselves (Windows letters).
 * `kind: 'parent'` = each sub-folder is one drive; `kind: 'drive'` = the path is a drive.
 */
export function defaultDriveRoots(
  platform: NodeJS.Platform = process.platform,
  user: string = safeUserName(),
): { path: string; kind: 'parent' | 'drive' }[] {
  if (platform === 'win32') {
    return 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((l) => ({ path: `${l}:\\`, kind: 'drive' as const }));
  }
  if (platform === 'darwin') return [{ path: '/Volumes', kind: 'parent' }];
  return [
    { path: `/media/${user}`, kind: 'parent' },
    { path: `/run/media/${user}`, kind: 'parent' },
    { path: '/mnt', kind: 'parent' },
  ];
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'user';
  }
}

/**
 * Lists the drives currently mounted. With explicit `roots` (tests, e2e, host `driveRoots`), every sub-folder of a
 * root is a drive. With the default roots, sub-folders that are not mount points (stale mount folders left after an
 * unplug) are skipped, except on Windows where each existing letter is a drive.
 */
export async function listMountedDrives(roots?: string[]): Promise<MountedDrive[]> {
  const explicit = roots !== undefined;
  const candidates = explicit ? roots.map((path) => ({ path, kind: 'parent' as const })) : defaultDriveRoots();
  const out: MountedDrive[] = [];
  for (const root of candidates) {
    const paths = root.kind === 'drive' ? [root.path] : await subFolders(root.path);
    for (const mountPath of paths) {
      const drive = await describeDrive(mountPath).catch(() => null);
      if (!drive) continue;
      if (!explicit && root.kind === 'parent' && !drive.isMountPoint) continue;
      out.push(drive);
    }
  }
  return out;
}

/** The mounted drives that carry a Rempart marker, optionally only those of one target or one drive id. */
export async function findEnrolledDrives(
  roots?: string[],
  filter: { targetId?: string; driveId?: string } = {},
): Promise<MountedDrive[]> {
  const all = await listMountedDrives(roots);
  return all.filter(
    (d) =>
      d.marker !== null &&
      (filter.targetId === undefined || d.marker.targetId === filter.targetId) &&
      (filter.driveId === undefined || d.marker.driveId === filter.driveId),
  );
}

async function subFolders(dir: string): Promise<string[]> {
  try {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

async function describeDrive(mountPath: string): Promise<MountedDrive | null> {
  const st = await fsp.stat(mountPath);
  if (!st.isDirectory()) return null;
  let isMountPoint = true;
  const parent = dirname(mountPath);
  if (parent !== mountPath) {
    const pst = await fsp.stat(parent).catch(() => null);
    isMountPoint = pst ? pst.dev !== st.dev : true;
  }
  let free: number | null = null;
  let total: number | null = null;
  try {
    const s = await fsp.statfs(mountPath);
    if (s.blocks > 0) {
      // fusefat answers statfs with zeros: unknown, not full
      free = s.bavail * s.bsize;
      total = s.blocks * s.bsize;
    }
  } catch {
    /* statfs not available (old runtime) or dead mount: space unknown */
  }
  let marker: DriveMarker | null = null;
  try {
    marker = await readDriveMarker(mountPath);
  } catch (err) {
    if (err instanceof RempartError && err.code === 'DRIVE_UNPLUGGED') return null; // dead mount (ENOTCONN): not a drive
  }
  const label = basename(mountPath) || marker?.label || mountPath.replace(/[\\/]+$/, '');
  return { mountPath, label, free, total, marker, isMountPoint };
}

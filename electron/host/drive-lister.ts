/**
 * The default DriveLister: the engine's listMountedDrives (mount points under /media/<user>, /run/media/<user>, /Volumes,
 * drive letters) when the facade exports it; otherwise each sub-folder of the roots is one drive. With explicit
 * `driveRoots` (tests, e2e), every sub-folder of a root is a drive.
 */
import { readdir, stat, statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { userInfo } from 'node:os';
import * as engine from '../engine/index.js';
import type { DriveLister, MountedDrive } from './ports.js';

type EngineDrive = { mountPath: string; label: string; free: number | null; total: number | null };
const facade = engine as unknown as { listMountedDrives?: (roots?: string[]) => Promise<EngineDrive[]> };

function fallbackRoots(): string[] {
  if (process.platform === 'win32') return [];
  if (process.platform === 'darwin') return ['/Volumes'];
  let user = process.env.USER ?? 'user';
  try {
    user = userInfo().username;
  } catch {
    /* keep env */
  }
  return [`/media/${user}`, `/run/media/${user}`];
}

async function scan(roots: string[], mountPointsOnly: boolean): Promise<MountedDrive[]> {
  const paths: string[] = [];
  if (process.platform === 'win32' && roots.length === 0) for (const l of 'DEFGHIJKLMNOPQRSTUVWXYZ') paths.push(`${l}:\\`);
  for (const root of roots) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const n of names.sort()) if (!n.startsWith('.')) paths.push(join(root, n));
  }
  const out: MountedDrive[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st?.isDirectory()) continue;
    if (mountPointsOnly && process.platform !== 'win32') {
      // A folder left behind in /media after an unplug is not a drive: a mount point has its own device.
      const parent = await stat(join(p, '..')).catch(() => null);
      if (parent && parent.dev === st.dev) continue;
    }
    const s = await statfs(p).catch(() => null);
    out.push({ mountPath: p, label: basename(p) || p, freeBytes: s ? s.bavail * s.bsize : null, totalBytes: s ? s.blocks * s.bsize : null });
  }
  return out;
}

export function defaultDriveLister(driveRoots?: string[]): DriveLister {
  return {
    async list() {
      if (facade.listMountedDrives) {
        const drives = await facade.listMountedDrives(driveRoots);
        return drives.map((d) => ({ mountPath: d.mountPath, label: d.label, freeBytes: d.free, totalBytes: d.total }));
      }
      return driveRoots ? scan(driveRoots, false) : scan(fallbackRoots(), true);
    },
  };
}

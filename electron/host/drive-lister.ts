/**
 * The default DriveLister: the engine's listMountedDrives (mount points under /media/<user>, /run/media/<user>, /mnt,
 * /Volumes, drive letters). With explicit `driveRoots` (tests, e2e), every sub-folder of a root is a drive.
 */
import { listMountedDrives } from '../engine/index.js';
import type { DriveLister } from './ports.js';

export function defaultDriveLister(driveRoots?: string[]): DriveLister {
  return {
    async list() {
      const drives = await listMountedDrives(driveRoots);
      return drives.map((d) => ({ mountPath: d.mountPath, label: d.label, freeBytes: d.free, totalBytes: d.total }));
    },
  };
}

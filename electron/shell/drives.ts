/**
 * DriveLister for the desktop: the host's folder-based lister (mount roots: /media/<user>, /run/media/<user>, /Volumes;
 * drive letters on Windows) plus change notifications, so plugging the USB drive starts its copy at once instead of at
 * the host's next poll. fs.watch on the mount roots where it works; a light 5 s poll of the drive list elsewhere.
 * Pure Node (no Electron import): unit-tested on a temp folder standing for a mount root.
 */

/** Where removable drives get mounted on each OS (Windows: drive letters, see listMounted). */
export function defaultDriveRoots(): string[] {
  if (process.platform === 'win32') return [];
  if (process.platform === 'darwin') return ['/Volumes'];
  let user = process.env.USER ?? 'user';
  try {
    user = userInfo().username;
  } catch {
    // keep $USER
  }
  return [`/media/${user}`, `/run/media/${user}`, '/media'];
}

async function listMounted(roots: string[]): Promise<MountedDrive[]> {
  const candidates: string[] = [];
  if (process.platform === 'win32' && roots.length === 0) {
    for (const letter of 'DEFGHIJKLMNOPQRSTUVWXYZ') candidates.push(`${letter}:\\`);
  }
  for (const root of roots) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names.sort()) if (!name.startsWith('.')) candidates.push(join(root, name));
  }
  const found: MountedDrive[] = [];
  for (const mountPath of new Set(candidates)) {
    const isDir = await stat(mountPath).then((s) => s.isDirectory(), () => false);
    if (!isDir) continue;
    const space = await statfs(mountPath).then(
      (s) => ({ free: s.bavail * s.bsize, total: s.blocks * s.bsize }),
      () => ({ free: null, total: null }),
    );
    found.push({ mountPath, label: basename(mountPath) || mountPath, freeBytes: space.free, totalBytes: space.total });
  }
  return found;
}
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat, statfs } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { DriveLister, MountedDrive } from '../host/ports.js';

const POLL_MS = 5_000;
const DEBOUNCE_MS = 300;

export function watchingDriveLister(roots: string[] = defaultDriveRoots(), pollMs = POLL_MS): DriveLister {
  const base = { list: () => listMounted(roots) };
  return {
    list: () => base.list(),
    watch(onChange) {
      let timer: NodeJS.Timeout | null = null;
      const fire = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          onChange();
        }, DEBOUNCE_MS);
        timer.unref();
      };
      const watchers: FSWatcher[] = [];
      for (const root of roots) {
        try {
          const w = watch(root, { persistent: false }, fire);
          w.on('error', () => w.close());
          watchers.push(w);
        } catch {
          // root absent (no drive ever mounted there): the poll below still notices new drives
        }
      }
      let last = '';
      let stopped = false;
      const poll = setInterval(() => {
        void base.list().then((drives) => {
          const key = drives.map((d) => d.mountPath).join('\n');
          if (!stopped && last !== '' && key !== last) fire();
          last = key;
        });
      }, pollMs);
      poll.unref();
      void base.list().then((drives) => (last = drives.map((d) => d.mountPath).join('\n') || '\n'));
      return () => {
        stopped = true;
        clearInterval(poll);
        if (timer) clearTimeout(timer);
        for (const w of watchers) w.close();
      };
    },
  };
}

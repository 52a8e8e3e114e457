/**
 * DriveLister for the desktop: the host's default lister plus change notifications, so plugging the USB drive starts its
 * copy at once instead of at the host's next poll. fs.watch on the mount roots where it works; a light 5 s poll of the
 * drive list everywhere (Windows drive letters, roots that appear later).
 * Pure Node (no Electron import): unit-tested on a temp folder standing for a mount root.
 */
import { watch, type FSWatcher } from 'node:fs';
import { userInfo } from 'node:os';
import { defaultDriveLister } from '../host/drive-lister.js';
import type { DriveLister } from '../host/ports.js';

const POLL_MS = 5_000;
const DEBOUNCE_MS = 300;

/** The folders where removable drives appear (watched for changes; Windows has none: drive letters are polled). */
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

export function watchingDriveLister(
  base: DriveLister = defaultDriveLister(),
  roots: string[] = defaultDriveRoots(),
  pollMs = POLL_MS,
): DriveLister {
  return {
    list: () => base.list(),
    watch(onChange) {
      let timer: NodeJS.Timeout | null = null;
      let stopped = false;
      const fire = () => {
        if (stopped) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          if (!stopped) onChange();
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
      let last: string | null = null;
      const snapshot = () =>
        base.list().then(
          (drives) => drives.map((d) => d.mountPath).join('\n'),
          () => last ?? '',
        );
      void snapshot().then((key) => (last = key));
      const poll = setInterval(() => {
        void snapshot().then((key) => {
          if (last !== null && key !== last) fire();
          last = key;
        });
      }, pollMs);
      poll.unref();
      return () => {
        stopped = true;
        clearInterval(poll);
        if (timer) clearTimeout(timer);
        for (const w of watchers) w.close();
      };
    },
  };
}

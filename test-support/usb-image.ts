/**
 * Simulated USB drives for integration tests: a FAT32 or exFAT disk image mounted through FUSE (the kernel here has no
 * vfat/exfat module). FAT32: `mkfs.vfat -F 32` + `fusefat -f -o rw+,kernel_cache`. exFAT: `mkfs.exfat` + `losetup` +
 * `mount.exfat-fuse -d` (it needs a block device). The FUSE daemon runs in the foreground as our child, so:
 *   unplug()      = kill -9 of the daemon (hard unplug: ENOTCONN on every access until unmounted),
 *   unmountLazy() = `fusermount -u -z` (no error for open files; new paths land on the internal disk),
 *   remount()     = mount the same image again (after either), optionally after fsck.
 * Needs root (losetup, /dev/fuse). See docs in shared research §5.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, promises as fsp, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { hasTool, isRoot, requireTools, waitFor } from './tools.js';

export type FatKind = 'fat32' | 'exfat';

export interface FatImage {
  fs: FatKind;
  label: string;
  imagePath: string;
  /** Where the drive is mounted: `<parent>/<label>`. */
  mountPath: string;
  /** The folder holding the mount point (pass it as a drive root). */
  parent: string;
  /** pid of the running FUSE daemon, or null when not mounted. */
  pid(): number | null;
  isMounted(): Promise<boolean>;
  /** Hard unplug: SIGKILL to the FUSE daemon. The mount stays dead (ENOTCONN) until remount() or cleanup(). */
  unplug(): Promise<void>;
  /** `fusermount -u -z`: the mount point silently becomes a folder of the internal disk. */
  unmountLazy(): Promise<void>;
  /** Clean unmount (waits for the daemon to exit). */
  unmount(): Promise<void>;
  /** Mounts the image again at the same place. `fsck: true` repairs it first (dirty bit after an unplug); `readOnly` mounts it ro. */
  remount(opts?: { fsck?: boolean; readOnly?: boolean }): Promise<void>;
  /** Unmounts, detaches the loop device, deletes the image and folders. Safe to call twice. */
  cleanup(): Promise<void>;
}

export function fatImageTools(fs: FatKind): string[] {
  return fs === 'fat32' ? ['mkfs.vfat', 'fusefat', 'fusermount', 'fsck.fat'] : ['mkfs.exfat', 'mount.exfat-fuse', 'losetup', 'fusermount'];
}

/** Why a FAT image cannot be mounted here (missing tool, not root, no /dev/fuse), or null when it can. */
export function fatImageUnavailable(fs: FatKind): string | null {
  const missing = fatImageTools(fs).filter((tool) => !hasTool(tool));
  if (missing.length) return `missing tools: ${missing.join(', ')} (run scripts/install-test-deps.sh)`;
  if (!isRoot()) return 'needs root (FUSE mounts, losetup)';
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse';
  return null;
}

/** True when this test can mount a FAT image; skips (locally) or throws (CI) otherwise. */
export function requireFatImage(t: TestContext, fs: FatKind): boolean {
  if (!requireTools(t, fatImageTools(fs))) return false;
  const why = !isRoot() ? 'needs root (FUSE mounts, losetup)' : !existsSync('/dev/fuse') ? 'no /dev/fuse' : null;
  if (why === null) return true;
  if (process.env.CI) throw new Error(`cannot mount a ${fs} image: ${why}`);
  t.skip(why);
  return false;
}

function run(cmd: string, args: string[]): { status: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function must(cmd: string, args: string[]): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.out.trim()}`);
  return r.out;
}

async function devOf(p: string): Promise<number | null> {
  try {
    return (await fsp.stat(p)).dev;
  } catch {
    return null;
  }
}

const live = new Set<() => void>();
let hooked = false;
function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  const runAll = () => {
    for (const f of live) {
      try {
        f();
      } catch {
        /* best effort */
      }
    }
    live.clear();
  };
  process.once('exit', runAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      runAll();
      process.kill(process.pid, sig); // our listener is gone: the default action (exit) now happens
    });
  }
}

export interface FatImageOptions {
  sizeMB: number;
  fs?: FatKind;
  label?: string;
  /** Folder for the image and the mount point (default: a fresh temp folder, deleted by cleanup()). */
  dir?: string;
  /**
   * Extra FUSE options for fusefat. Default ['kernel_cache']: with FUSE's default (page cache dropped at each open),
   * fusefat hands back zeros, transiently, for a small file read while other files are being written (a fusefat
   * artifact, not FAT behaviour). All writes go through this one mount, so the kept cache stays coherent.
   * ('direct_io' is no cure: fusefat then answers EPERM to reads at end of file.) Pass [] to reproduce the zeros.
   */
  fuseOptions?: string[];
}

export async function createFatImage(opts: FatImageOptions): Promise<FatImage> {
  const fs = opts.fs ?? 'fat32';
  const label = opts.label ?? (fs === 'fat32' ? 'USBFAT' : 'USBEXFAT');
  const base = opts.dir ?? (await fsp.mkdtemp(join(tmpdir(), `rempart-${fs}-`)));
  const parent = join(base, 'mnt');
  const mountPath = join(parent, label);
  const imagePath = join(base, `${label}.img`);
  const logPath = join(base, `${label}.fuse.log`);
  await fsp.mkdir(mountPath, { recursive: true });
  await fsp.writeFile(imagePath, '');
  await fsp.truncate(imagePath, opts.sizeMB * 1024 * 1024);
  if (fs === 'fat32') must('mkfs.vfat', ['-F', '32', '-n', label, imagePath]);
  else must('mkfs.exfat', ['-L', label, imagePath]);

  let loop: string | null = null;
  let daemon: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let cleaned = false;

  const isMounted = async () => {
    const [a, b] = await Promise.all([devOf(mountPath), devOf(parent)]);
    return a === null || (a !== b); // a dead FUSE mount fails stat (ENOTCONN): still mounted
  };

  const mount = async (extra: string[] = []) => {
    let args: string[];
    let cmd: string;
    if (fs === 'fat32') {
      cmd = 'fusefat';
      const mode = extra.includes('ro') ? [] : ['rw+'];
      args = ['-f', '-o', [...mode, ...(opts.fuseOptions ?? ['kernel_cache']), ...extra].join(','), imagePath, mountPath];
    } else {
      loop ??= must('losetup', ['-f', '--show', imagePath]).trim();
      cmd = 'mount.exfat-fuse';
      args = ['-d', ...(extra.length ? ['-o', extra.join(',')] : []), loop, mountPath];
    }
    // The daemons log every operation on stderr: send it to a file, never to a pipe that a busy (or blocked) test
    // process might not drain, which would freeze the daemon mid-request and hang every access to the drive.
    const logFd = openSync(logPath, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    const stderrTail = () => {
      try {
        return readFileSync(logPath, 'utf8').slice(-500).trim();
      } catch {
        return '';
      }
    };
    child.unref(); // a forgotten image must not keep the test process alive: the exit hook unmounts it
    daemon = child;
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let dead = false;
    void exited.then(() => (dead = true));
    try {
      await waitFor(async () => {
        if (dead) throw new Error(`${cmd} exited: ${stderrTail()}`);
        return (await devOf(mountPath)) !== (await devOf(parent));
      }, 10_000, 20);
    } catch (err) {
      if (!dead) child.kill('SIGKILL');
      throw err;
    }
  };

  const waitExit = async (ms: number) => {
    const d = daemon;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    await Promise.race([exited, new Promise((r) => setTimeout(r, ms))]);
    if (d.exitCode === null && d.signalCode === null) {
      d.kill('SIGKILL');
      await exited;
    }
  };

  /** Last resort when the test process exits without cleanup(): never leave a mount or a loop device behind. */
  const emergency = () => {
    const pid = img.pid();
    if (pid !== null) process.kill(pid, 'SIGKILL');
    spawnSync('fusermount', ['-u', '-z', mountPath], { stdio: 'ignore' });
    if (loop) spawnSync('losetup', ['-d', loop], { stdio: 'ignore' });
    for (const f of [imagePath, logPath]) rmSync(f, { force: true });
    for (const d of opts.dir ? [mountPath] : [mountPath, parent, base]) {
      try {
        rmdirSync(d);
      } catch {
        /* not empty or busy: leave it */
      }
    }
  };
  live.add(emergency);
  installExitHook();

  const img: FatImage = {
    fs,
    label,
    imagePath,
    mountPath,
    parent,
    pid: () => (daemon && daemon.exitCode === null && daemon.signalCode === null ? (daemon.pid ?? null) : null),
    isMounted,
    async unplug() {
      const d = daemon;
      if (!d || d.exitCode !== null || d.signalCode !== null) return;
      d.kill('SIGKILL');
      await exited;
    },
    async unmountLazy() {
      must('fusermount', ['-u', '-z', mountPath]);
    },
    async unmount() {
      if (await isMounted()) run('fusermount', ['-u', mountPath]);
      if (await isMounted()) run('fusermount', ['-u', '-z', mountPath]);
      await waitExit(5000);
    },
    async remount(o = {}) {
      if (img.pid() !== null && (await isMounted())) run('fusermount', ['-u', mountPath]);
      await waitExit(3000);
      run('fusermount', ['-u', '-z', mountPath]); // a dead mount must be detached before mounting again
      if (o.fsck) run(fs === 'fat32' ? 'fsck.fat' : 'fsck.exfat', fs === 'fat32' ? ['-a', '-w', imagePath] : ['-y', loop ?? imagePath]);
      await fsp.mkdir(mountPath, { recursive: true }).catch(() => undefined);
      await mount(['nonempty', ...(o.readOnly ? ['ro'] : [])]);
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      try {
        if (img.pid() !== null && (await isMounted())) run('fusermount', ['-u', mountPath]);
        await waitExit(2000);
        run('fusermount', ['-u', '-z', mountPath]);
        if (loop) run('losetup', ['-d', loop]);
        loop = null;
      } finally {
        live.delete(emergency);
      }
      // Never `rm -r` here: another image may be mounted under the same folder.
      await Promise.all([fsp.rm(imagePath, { force: true }), fsp.rm(logPath, { force: true })]);
      for (const d of opts.dir ? [mountPath] : [mountPath, parent, base]) await fsp.rmdir(d).catch(() => undefined);
    },
  };
  try {
    await mount();
  } catch (err) {
    await img.cleanup();
    throw err;
  }
  return img;
}

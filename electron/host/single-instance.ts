/**
 * One Rempart per user: a lock file holding the owner's pid in dataDir. A lock whose pid is dead is stale and taken over
 * (crash, kill -9, power cut). Used by the Electron shell and by the loopback bridge before starting the host.
 */
import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from './errors.js';

export interface InstanceLock {
  readonly path: string;
  release(): Promise<void>;
}

const heldHere = new Set<string>();

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive but owned by someone else
  }
}

/** Takes the lock or fails with ALREADY_RUNNING (details.pid = the running instance). */
export async function acquireInstanceLock(dataDir: string, name = 'rempart.lock'): Promise<InstanceLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, name);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(`${process.pid}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      let released = false;
      heldHere.add(path);
      return {
        path,
        async release() {
          if (released) return;
          released = true;
          heldHere.delete(path);
          const owner = await readPid(path);
          if (owner === process.pid) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = await readPid(path);
    const heldByUs = pid === process.pid && heldHere.has(path);
    if (heldByUs || (pid !== null && pid !== process.pid && isPidAlive(pid))) {
      throw new HostError('ALREADY_RUNNING', `another Rempart instance (pid ${pid}) holds ${path}`, { pid });
    }
    if (pid === null) {
      // Being written right now by another starter, or garbage: give it a moment before taking it over.
      await new Promise((r) => setTimeout(r, 50));
      if ((await readPid(path)) !== null) continue;
    }
    await rm(path, { force: true });
  }
  throw new HostError('ALREADY_RUNNING', `could not take ${path}`);
}

async function readPid(path: string): Promise<number | null> {
  try {
    const n = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/**
 * Repository locks: plain JSON files under locks/ (restic-style). Exclusive locks (backup, forget, prune, passwd)
 * exclude every other lock; shared locks (check, restore, listing) coexist. A lock is stale when its process is gone
 * (same host, dead pid) or it was not refreshed for STALE_AFTER_MS; stale locks are removed and taken over.
 * Protocol: write our lock, then list the others; on a conflict, remove ours and retry until the wait runs out.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../base/clock.js';
import { BugError, RempartError } from '../base/errors.js';
import type { BlobStore } from './blob-store.js';
import type { LockFile, LockKind } from './types.js';

export const LOCKS_DIR = 'locks';
export const STALE_AFTER_MS = 30 * 60_000;
export const REFRESH_EVERY_MS = 5 * 60_000;

export interface LockOptions {
  clock: Clock;
  host?: string;
  pid?: number;
  /** How long to keep retrying on a conflicting live lock (default 0). */
  waitMs?: number;
  /** Tells whether a pid on this host is alive (default: process.kill(pid, 0)). */
  isAlive?: (pid: number) => boolean;
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'host';
}

export function parseLockFile(buf: Buffer): LockFile | null {
  try {
    const v = JSON.parse(buf.toString('utf8')) as Partial<LockFile>;
    if (typeof v.host !== 'string' || typeof v.pid !== 'number' || typeof v.refreshedAt !== 'string') return null;
    return { host: v.host, pid: v.pid, kind: v.kind === 'shared' ? 'shared' : 'exclusive', createdAt: v.createdAt ?? v.refreshedAt, refreshedAt: v.refreshedAt };
  } catch {
    return null;
  }
}

/** A lock held in a repository until release(). */
export class HeldLock {
  private stopRefresh: (() => void) | null = null;
  private released = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: BlobStore,
    readonly path: string,
    private readonly content: LockFile,
    private readonly clock: Clock,
  ) {
    this.schedule();
  }

  private schedule(): void {
    this.stopRefresh = this.clock.setTimer(REFRESH_EVERY_MS, () => {
      void this.refresh().catch(() => undefined);
      if (!this.released) this.schedule();
    });
  }

  /** Rewrites the lock with a new refreshedAt. Refreshes are serialized, so the newest time is the one that stays. */
  refresh(): Promise<void> {
    this.content.refreshedAt = new Date(this.clock.now()).toISOString();
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (this.released) return;
        const buf = Buffer.from(JSON.stringify(this.content));
        await this.store.write(this.path, buf, buf.length, { overwrite: true });
      });
    return this.writing;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    this.stopRefresh?.();
    await this.writing.catch(() => undefined); // a refresh in flight must not recreate the file after removal
    await this.store.remove(this.path);
  }
}

/** Takes a lock of `kind`, removing stale ones; REPOSITORY_LOCKED when a live conflicting lock remains. */
export async function acquireLock(store: BlobStore, kind: LockKind, opts: LockOptions): Promise<HeldLock> {
  const host = opts.host ?? hostname();
  const pid = opts.pid ?? process.pid;
  const isAlive = opts.isAlive ?? pidIsAlive;
  const deadline = opts.clock.now() + (opts.waitMs ?? 0);
  const now = new Date(opts.clock.now()).toISOString();
  const content: LockFile = { host, pid, kind, createdAt: now, refreshedAt: now };
  const path = `${LOCKS_DIR}/${safeName(host)}-${pid}-${randomBytes(4).toString('hex')}.json`;
  heldHere.add(path); // from the first write: a concurrent acquire in this process must not take it for a leftover
  try {
    for (let attempt = 0; ; attempt++) {
      const buf = Buffer.from(JSON.stringify(content));
      await store.write(path, buf, buf.length, { overwrite: true });
      const conflict = await findConflict(store, path, kind, { clock: opts.clock, host, isAlive });
      if (!conflict) return new HeldLock(store, path, content, opts.clock);
      await store.remove(path);
      if (opts.clock.now() >= deadline) {
        throw new RempartError(
          'REPOSITORY_LOCKED',
          `repository is locked (${conflict.kind}) by ${conflict.host} pid ${conflict.pid} since ${conflict.createdAt}`,
          { retryable: true, details: { host: conflict.host, pid: conflict.pid, since: conflict.createdAt } },
        );
      }
      await sleep(Math.min(5_000, 200 * 2 ** Math.min(attempt, 5)) + Math.random() * 100);
    }
  } catch (err) {
    heldHere.delete(path);
    throw err;
  }
}

async function findConflict(
  store: BlobStore,
  ownPath: string,
  kind: LockKind,
  ctx: { clock: Clock; host: string; isAlive: (pid: number) => boolean },
): Promise<LockFile | null> {
  for (const f of await store.list(LOCKS_DIR)) {
    if (f.path === ownPath || !f.path.endsWith('.json')) continue;
    let other: LockFile | null;
    try {
      other = parseLockFile(await store.read(f.path));
    } catch {
      continue; // removed meanwhile
    }
    if (other === null || isStale(other, ctx, f.path)) {
      await store.remove(f.path);
      continue;
    }
    if (kind === 'exclusive' || other.kind === 'exclusive') return other;
  }
  return null;
}

/** Lock files this process holds right now (by name). Our own pid on a file not in here is a leftover. */
const heldHere = new Set<string>();

export function isStale(
  lock: LockFile,
  ctx: { clock: Clock; host: string; isAlive: (pid: number) => boolean },
  name?: string,
): boolean {
  const refreshed = Date.parse(lock.refreshedAt);
  if (!Number.isFinite(refreshed) || ctx.clock.now() - refreshed > STALE_AFTER_MS) return true;
  if (lock.host !== ctx.host) return false;
  // Our own pid: a lock this process could not remove (drive unplugged mid-run, then plugged back) unless we hold it.
  if (lock.pid === process.pid) return name !== undefined && !heldHere.has(name);
  return !ctx.isAlive(lock.pid);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The locks of one open repository: withLock is re-entrant and safe under concurrent calls (one lock file per
 * process and repository; it is released when the last user leaves). A shared lock cannot be upgraded.
 */
export class RepoLocker {
  private held: { kind: LockKind; lock: HeldLock; users: number } | null = null;
  private pending: Promise<unknown> | null = null;

  constructor(
    private readonly store: BlobStore,
    private readonly opts: Omit<LockOptions, 'pid'>,
  ) {}

  get kind(): LockKind | null {
    return this.held?.kind ?? null;
  }

  async withLock<T>(fn: () => Promise<T>, kind: LockKind): Promise<T> {
    await this.enter(kind);
    try {
      return await fn();
    } finally {
      await this.leave();
    }
  }

  private async enter(kind: LockKind): Promise<void> {
    while (this.pending) await this.pending.catch(() => undefined);
    if (this.held) {
      if (this.held.kind === 'shared' && kind === 'exclusive') throw new BugError('cannot upgrade a shared repository lock to exclusive');
      this.held.users++;
      return;
    }
    const acquiring = acquireLock(this.store, kind, this.opts);
    this.pending = acquiring;
    try {
      this.held = { kind, lock: await acquiring, users: 1 };
    } finally {
      this.pending = null;
    }
  }

  private async leave(): Promise<void> {
    const h = this.held;
    if (!h || --h.users > 0) return;
    this.held = null;
    const releasing = h.lock.release().catch(() => undefined);
    this.pending = releasing;
    await releasing;
    if (this.pending === releasing) this.pending = null;
  }

  /** Drops the lock whatever its users (close). */
  async releaseAll(): Promise<void> {
    const h = this.held;
    this.held = null;
    await h?.lock.release().catch(() => undefined);
  }
}

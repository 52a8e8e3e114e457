import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { FakeClock, systemClock } from '../base/clock.js';
import { isRempartError } from '../base/errors.js';
import { tempLocalStore, type TempLocalStore } from '../../../test-support/temp-local-store.js';
import { acquireLock, parseLockFile, REFRESH_EVERY_MS, RepoLocker, STALE_AFTER_MS } from './lock.js';
import type { LockFile } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function store(): Promise<TempLocalStore> {
  const t = await tempLocalStore('rempart-lock-');
  cleanups.push(t.cleanup);
  return t;
}
const locked = (err: unknown) => isRempartError(err, 'REPOSITORY_LOCKED');

async function plant(t: TempLocalStore, name: string, lock: LockFile): Promise<void> {
  const buf = Buffer.from(JSON.stringify(lock));
  await t.store.write(`locks/${name}.json`, buf, buf.length);
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('repository locks', () => {
  test('an exclusive lock refuses any other lock; shared locks coexist; release frees', async () => {
    const t = await store();
    const clock = systemClock;
    const a = await acquireLock(t.store, 'exclusive', { clock, host: 'caisse-1' });
    await assert.rejects(acquireLock(t.store, 'exclusive', { clock, host: 'bureau' }), locked);
    await assert.rejects(acquireLock(t.store, 'shared', { clock, host: 'bureau' }), locked);
    assert.equal((await t.store.list('locks')).length, 1, 'refused attempts leave no lock file behind');
    await a.release();
    const s1 = await acquireLock(t.store, 'shared', { clock, host: 'caisse-1' });
    const s2 = await acquireLock(t.store, 'shared', { clock, host: 'bureau' });
    await assert.rejects(acquireLock(t.store, 'exclusive', { clock, host: 'caisse-2' }), locked);
    await s1.release();
    await s2.release();
    assert.deepEqual(await t.store.list('locks'), []);
  });

  test('a lock left by a dead process on this host is stale and taken over', async () => {
    const t = await store();
    const now = new Date().toISOString();
    await plant(t, 'caisse-dead', { host: 'caisse-1', pid: deadPid(), kind: 'exclusive', createdAt: now, refreshedAt: now });
    const l = await acquireLock(t.store, 'exclusive', { clock: systemClock, host: 'caisse-1' });
    const names = (await t.store.list('locks')).map((f) => f.path);
    assert.deepEqual(names, [l.path]);
    await l.release();
  });

  test('a lock of this very process that it no longer holds (drive unplugged before release) is a leftover', async () => {
    const t = await store();
    const now = new Date().toISOString();
    await plant(t, 'caisse-1-mine', { host: 'caisse-1', pid: process.pid, kind: 'exclusive', createdAt: now, refreshedAt: now });
    const l = await acquireLock(t.store, 'exclusive', { clock: systemClock, host: 'caisse-1' });
    assert.deepEqual((await t.store.list('locks')).map((f) => f.path), [l.path]);
    // …whereas a lock this process holds through another handle is respected.
    await assert.rejects(acquireLock(t.store, 'exclusive', { clock: systemClock, host: 'caisse-1' }), locked);
    await l.release();
  });

  test('a live lock of another host is refused until it is 30 minutes old without refresh', async () => {
    const t = await store();
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 9, 0));
    const then = new Date(clock.now()).toISOString();
    // pid 1 is alive, but on another host liveness cannot be known: only age decides.
    await plant(t, 'bureau-1', { host: 'bureau', pid: 1, kind: 'exclusive', createdAt: then, refreshedAt: then });
    await clock.advance(STALE_AFTER_MS - 60_000);
    await assert.rejects(acquireLock(t.store, 'shared', { clock, host: 'caisse-1' }), (err: unknown) => {
      return locked(err) && (err as { details?: Record<string, unknown> }).details?.host === 'bureau';
    });
    await clock.advance(2 * 60_000);
    const l = await acquireLock(t.store, 'shared', { clock, host: 'caisse-1' });
    await l.release();
  });

  test('a held lock is refreshed every 5 minutes, so it never looks stale to others', async () => {
    const t = await store();
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 9, 0));
    const l = await acquireLock(t.store, 'exclusive', { clock, host: 'caisse-1' });
    for (let i = 0; i < 8; i++) await clock.advance(REFRESH_EVERY_MS);
    await new Promise((r) => setTimeout(r, 50));
    const content = parseLockFile(await t.store.read(l.path));
    assert.equal(content?.refreshedAt, new Date(clock.now()).toISOString());
    await assert.rejects(acquireLock(t.store, 'exclusive', { clock, host: 'bureau' }), locked);
    await l.release();
  });

  test('RepoLocker: concurrent and nested users share one lock file, released when the last one leaves', async () => {
    const t = await store();
    const locker = new RepoLocker(t.store, { clock: systemClock, host: 'caisse-1' });
    const files = async () => (await t.store.list('locks')).length;
    let releaseLong!: () => void;
    const long = locker.withLock(() => new Promise<void>((r) => (releaseLong = r)), 'exclusive');
    await new Promise((r) => setTimeout(r, 50));
    await locker.withLock(async () => {
      assert.equal(await files(), 1);
      await locker.withLock(async () => assert.equal(await files(), 1), 'shared');
    }, 'exclusive');
    assert.equal(await files(), 1, 'still held by the long-running user');
    await assert.rejects(acquireLock(t.store, 'shared', { clock: systemClock, host: 'bureau' }), locked);
    releaseLong();
    await long;
    assert.equal(await files(), 0);
    await locker.withLock(async () => {
      await assert.rejects(locker.withLock(async () => undefined, 'exclusive'), /upgrade/);
    }, 'shared');
  });

  test('lockWaitMs waits for the holder to release', async () => {
    const t = await store();
    const a = await acquireLock(t.store, 'exclusive', { clock: systemClock, host: 'caisse-1' });
    setTimeout(() => void a.release(), 300);
    const b = await acquireLock(t.store, 'exclusive', { clock: systemClock, host: 'bureau', waitMs: 5_000 });
    await b.release();
  });
});

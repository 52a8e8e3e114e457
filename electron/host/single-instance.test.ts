import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { acquireInstanceLock } from './single-instance.js';

test('second acquire fails while the first holds the lock; release frees it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-lock-'));
  try {
    const a = await acquireInstanceLock(dir);
    assert.equal((await readFile(a.path, 'utf8')).trim(), String(process.pid));
    await assert.rejects(acquireInstanceLock(dir), (e: Error & { code?: string }) => e.code === 'ALREADY_RUNNING');
    await a.release();
    const b = await acquireInstanceLock(dir);
    await b.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock left by a dead process is taken over', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-lock-'));
  try {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    await writeFile(join(dir, 'rempart.lock'), `${deadPid}\n`);
    const lock = await acquireInstanceLock(dir);
    assert.equal((await readFile(lock.path, 'utf8')).trim(), String(process.pid));
    await lock.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

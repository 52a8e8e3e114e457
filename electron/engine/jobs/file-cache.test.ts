import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRecordText, FileCache, type CachedFile } from './file-cache.js';

/** The records as a backup spools them: comma-separated texts, in pieces cut at odd byte offsets (inside characters too). */
async function* rendered(files: Map<string, CachedFile>, cut = 777): AsyncGenerator<Buffer> {
  const bytes = Buffer.from([...files].map(([path, rec]) => cacheRecordText(path, rec)).join(','), 'utf8');
  for (let off = 0; off < bytes.length; off += cut) yield bytes.subarray(off, off + cut);
}

test('file cache: round trip, change detection by size, mtime, inode and device', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-fcache-'));
  try {
    const empty = await FileCache.load(dir, 'repo1');
    assert.equal(empty.size, 0);
    const rec: CachedFile = { size: 10, mtimeMs: 1700000000123.5, ino: 42, dev: 7, blobs: ['b1', 'b2'], sha256: 'ab' };
    await FileCache.save(join(dir, 'sub'), 'repo1', 'snap1', rendered(new Map([['/src/a.txt', rec]])));
    assert.deepEqual(await readdir(join(dir, 'sub')), ['files-v1.json'], 'no temp file left behind');
    const c = await FileCache.load(join(dir, 'sub'), 'repo1');
    assert.equal(c.snapshotId, 'snap1');
    assert.deepEqual(c.lookup('/src/a.txt', { size: 10, mtimeMs: 1700000000123.5, ino: 42, dev: 7 }), rec);
    assert.equal(c.lookup('/src/a.txt', { size: 11, mtimeMs: 1700000000123.5, ino: 42, dev: 7 }), null);
    assert.equal(c.lookup('/src/a.txt', { size: 10, mtimeMs: 1700000000124, ino: 42, dev: 7 }), null);
    assert.equal(c.lookup('/src/a.txt', { size: 10, mtimeMs: 1700000000123.5, ino: 43, dev: 7 }), null);
    assert.equal(c.lookup('/src/a.txt', { size: 10, mtimeMs: 1700000000123.5, ino: 42, dev: 8 }), null);
    assert.equal(c.lookup('/src/b.txt', { size: 10, mtimeMs: 1700000000123.5, ino: 42, dev: 7 }), null);
    // another repository's id never reuses this cache
    assert.equal((await FileCache.load(join(dir, 'sub'), 'repo2')).size, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a corrupt cache is treated as empty (costs a re-read, never data)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-fcache-'));
  try {
    await writeFile(join(dir, 'files-v1.json'), '{"version":1,"repoId":"r","files":');
    assert.equal((await FileCache.load(dir, 'r')).size, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('file cache: a cache of thousands of files (written in many pieces) reads back whole', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-fcache-'));
  try {
    const files = new Map<string, CachedFile>();
    for (let i = 0; i < 5000; i++) {
      const blobs = Array.from({ length: 1 + (i % 4) }, (_, k) => `${i}-${k}`.padStart(64, '0'));
      files.set(`/boutique/Factures/2026/Facture n°${i} « café » 🍰.pdf`, { size: i, mtimeMs: 1700000000000 + i, ino: i, dev: 1, blobs, sha256: `${i}`.padStart(64, 'f') });
    }
    await FileCache.save(dir, 'repo1', 'snap1', rendered(files));
    const c = await FileCache.load(dir, 'repo1');
    assert.equal(c.size, 5000);
    for (const [path, rec] of files) assert.deepEqual(c.lookup(path, rec), rec, path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

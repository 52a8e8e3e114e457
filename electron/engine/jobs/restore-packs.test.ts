/**
 * The pack-by-pack restore: files spread over several packs, shared blobs, empty and one-blob files, blobs out of file
 * order, and a damaged pack (what is intact still restores, what is hit is an error and leaves no temporary file).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseHeader } from '../content/age/index.js';
import { packPath } from '../repository/pack-builder.js';
import { newTestRepo, putFiles, randomData, summary, textData, type TestRepo } from '../repository/test-fixtures.js';
import type { ManifestEntry } from '../repository/types.js';
import { restoreSnapshot } from './restore.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function setup(files: Record<string, Buffer>, packPerFile = true, chunk = 64 * 1024): Promise<{ t: TestRepo; id: string; entries: ManifestEntry[] }> {
  const t = await newTestRepo({ packSize: 512 * 1024 });
  cleanups.push(() => t.cleanup());
  const entries: ManifestEntry[] = [];
  if (!packPerFile) entries.push(...(await putFiles(t.repo, files, chunk)));
  else {
    for (const [path, data] of Object.entries(files)) {
      entries.push(...(await putFiles(t.repo, { [path]: data }, chunk)));
      await t.repo.flush(); // one pack per file (blobs shared with an earlier file stay in its pack)
    }
  }
  const snap = await t.repo.withLock(
    () => t.repo.saveSnapshot({ host: 'h', sources: [{ label: 'S', path: '/tmp/src' }], summary: summary(entries.length), entries }),
    'exclusive',
  );
  return { t, id: snap.id, entries };
}

async function listAll(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir, { recursive: true })).map(String).sort();
}

test('files over several packs (one per file), shared blobs, empty and small files restore byte for byte with modes and times', async () => {
  const big = Buffer.concat([textData(700_000, 'a'), randomData(900_000), textData(300_000, 'b')]);
  const files: Record<string, Buffer> = {
    'S/big.db': big,
    'S/copy.db': Buffer.from(big), // every blob shared with big.db
    'S/empty.txt': Buffer.alloc(0),
    'S/small.txt': Buffer.from('facture 42'),
    'S/repeated.bin': Buffer.concat([textData(64 * 1024, 'z'), randomData(64 * 1024), textData(64 * 1024, 'z')]), // a blob twice, out of order
  };
  const { t, id } = await setup(files);
  const target = join(t.dir, '..', `${t.dir.split('/').pop()}-out`);
  cleanups.push(() => fsp.rm(target, { recursive: true, force: true }));
  const s = await restoreSnapshot(t.repo, { snapshotId: id, target });
  assert.deepEqual(s.errors, []);
  assert.equal(s.filesRestored, Object.keys(files).length);
  for (const [path, data] of Object.entries(files)) {
    const got = await fsp.readFile(join(target, path));
    assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(data).digest('hex'), path);
    const st = await fsp.stat(join(target, path));
    assert.equal(st.mode & 0o777, 0o644, path);
    assert.equal(new Date(st.mtimeMs).toISOString(), '2026-11-24T10:00:00.000Z', path);
  }
  assert.deepEqual((await listAll(join(target, 'S'))).filter((n) => n.includes('.rempart-')), [], 'no temporary file left');
  // restoring again finds everything identical
  const again = await restoreSnapshot(t.repo, { snapshotId: id, target });
  assert.equal(again.unchanged, Object.keys(files).length);
  assert.equal(again.filesRestored, 0);
});

test('a bit flip in a pack: the hit file is an error with no temporary left, the others of that pack still restore', async () => {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 6; i++) files[`S/f${i}.bin`] = randomData(60_000);
  const { t, id, entries } = await setup(files, false);
  const hit = entries[3];
  assert.equal(new Set(entries.map((e) => t.repo.locate(e.blobs![0])!.packId)).size, 1, 'all in one pack');
  const loc = t.repo.locate(hit.blobs![0])!;
  const file = join(t.dir, packPath(loc.packId));
  const buf = await fsp.readFile(file);
  const { headerLength } = parseHeader(buf);
  const plainAt = loc.entry.offset + 100;
  const pos = headerLength + 16 + Math.floor(plainAt / 65536) * (65536 + 16) + (plainAt % 65536);
  buf[pos] ^= 0x40;
  await fsp.writeFile(file, buf);
  const target = join(t.dir, '..', `${t.dir.split('/').pop()}-flip`);
  cleanups.push(() => fsp.rm(target, { recursive: true, force: true }));
  const s = await restoreSnapshot(t.repo, { snapshotId: id, target });
  const failed = s.errors.map((e) => e.path);
  assert.ok(failed.includes(hit.path), JSON.stringify(s.errors));
  assert.ok(failed.length <= 2, 'only files sharing the damaged 64 KiB chunk fail');
  assert.equal(s.filesRestored, 6 - failed.length);
  for (const [path, data] of Object.entries(files)) {
    if (failed.includes(path)) continue;
    assert.ok((await fsp.readFile(join(target, path))).equals(data), path);
  }
  assert.deepEqual((await listAll(join(target, 'S'))).filter((n) => n.includes('.rempart-') || failed.some((f) => f.endsWith(n))), []);
});

test('a missing pack: its files are DATA_MISSING errors, the rest restores', async () => {
  const { t, id, entries } = await setup({ 'S/a.txt': textData(10_000, 'a'), 'S/b.bin': randomData(1_500_000) });
  const loc = t.repo.locate(entries[1].blobs!.at(-1)!)!;
  const other = t.repo.locate(entries[0].blobs![0])!;
  assert.notEqual(loc.packId, other.packId, 'the two files live in different packs');
  await fsp.rm(join(t.dir, packPath(loc.packId)));
  const target = join(t.dir, '..', `${t.dir.split('/').pop()}-missing`);
  cleanups.push(() => fsp.rm(target, { recursive: true, force: true }));
  const s = await restoreSnapshot(t.repo, { snapshotId: id, target });
  assert.deepEqual(s.errors.map((e) => e.path), ['S/b.bin']);
  assert.match(s.errors[0].message, /missing/);
  assert.equal(await fsp.readFile(join(target, 'S/a.txt'), 'utf8'), textData(10_000, 'a').toString());
});

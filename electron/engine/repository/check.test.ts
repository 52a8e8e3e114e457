import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isRempartError } from '../base/errors.js';
import { parseHeader } from '../content/age/index.js';
import { openRepo } from './repository.js';
import { packPath } from './pack-builder.js';
import { backupFiles, newTestRepo, randomData, type TestRepo } from './test-fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** A repository with 3 files in one pack; returns the blob ids of each file's first chunk. */
async function setup(): Promise<{ t: TestRepo; blobs: string[]; packId: string; files: Buffer[] }> {
  const t = await newTestRepo();
  cleanups.push(() => t.cleanup());
  const files = [randomData(200_000), randomData(200_000), randomData(200_000)];
  const snap = await backupFiles(t.repo, { 'src/a': files[0], 'src/b': files[1], 'src/c': files[2] });
  const blobs = files.map((f) => t.repo.blobId(f));
  return { t, blobs, packId: snap.packs[0], files };
}

const code = (c: string) => (err: unknown) => isRempartError(err) && err.code === c;
const kinds = (r: { problems: { kind: string }[] }) => [...new Set(r.problems.map((p) => p.kind))].sort();

/** Byte position in the pack file of plaintext offset `plainOffset`. */
function cipherPos(file: Buffer, plainOffset: number): number {
  const { headerLength } = parseHeader(file);
  return headerLength + 16 + Math.floor(plainOffset / 65536) * (65536 + 16) + (plainOffset % 65536);
}

describe('check and corrupted packs', () => {
  test('a healthy repository passes check, with and without --read-data', async () => {
    const { t } = await setup();
    const quick = await t.repo.check();
    assert.deepEqual(quick.problems, []);
    assert.equal(quick.ok, true);
    assert.equal(quick.packsChecked, 1);
    assert.equal(quick.snapshotsChecked, 1);
    const full = await t.repo.check({ readData: true });
    assert.equal(full.ok, true, JSON.stringify(full.problems));
    assert.ok(full.bytesChecked > 600_000);
  });

  test('bit flip: check (writer key only) reports the hash; readBlob of the hit blob is DATA_CORRUPT, others still read', async () => {
    const { t, blobs, packId, files } = await setup();
    const path = join(t.dir, packPath(packId));
    const file = await fsp.readFile(path);
    const loc = t.repo.locate(blobs[1]);
    assert.ok(loc);
    const pos = cipherPos(file, loc.entry.offset + 100_000);
    file[pos] ^= 0x01;
    await fsp.writeFile(path, file);
    const writer = await openRepo(t.store, { writer: t.repo.credentials() });
    assert.deepEqual(kinds(await writer.check()), ['pack-hash']);
    const fresh = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    await assert.rejects(fresh.readBlob(blobs[1]), (err: unknown) => code('DATA_CORRUPT')(err) && String((err as Error).message).includes(packId));
    assert.deepEqual(await fresh.readBlob(blobs[0]), files[0]);
    const full = await fresh.check({ readData: true });
    assert.deepEqual(kinds(full), ['blob-corrupt', 'pack-hash']);
    assert.equal(full.ok, false);
  });

  test('truncated pack: size and hash reported; the blob at the end is DATA_CORRUPT', async () => {
    const { t, blobs, packId } = await setup();
    const path = join(t.dir, packPath(packId));
    const size = (await fsp.stat(path)).size;
    await fsp.truncate(path, size - 5000);
    assert.deepEqual(kinds(await t.repo.check()), ['pack-hash', 'pack-size']);
    const fresh = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    await assert.rejects(fresh.readBlob(blobs[2]), code('DATA_CORRUPT'));
    assert.ok(kinds(await fresh.check({ readData: true })).includes('blob-corrupt'));
  });

  test('missing pack: check reports pack-missing; readBlob is DATA_MISSING', async () => {
    const { t, blobs, packId } = await setup();
    await fsp.rm(join(t.dir, packPath(packId)));
    assert.deepEqual(kinds(await t.repo.check()), ['pack-missing']);
    const fresh = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    await assert.rejects(fresh.readBlob(blobs[0]), code('DATA_MISSING'));
  });

  test('replaced pack (another valid pack of the same repository in its place): hash reported, blobs DATA_CORRUPT', async () => {
    const { t, blobs, packId } = await setup();
    const other = await backupFiles(t.repo, { 'src/other': randomData(700_000) });
    const otherFile = await fsp.readFile(join(t.dir, packPath(other.packs[0])));
    await fsp.writeFile(join(t.dir, packPath(packId)), otherFile);
    const report = await t.repo.check();
    assert.ok(kinds(report).includes('pack-hash'));
    const fresh = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    await assert.rejects(fresh.readBlob(blobs[0]), code('DATA_CORRUPT'));
  });

  test('a pack encrypted to a stranger is DATA_CORRUPT, not WRONG_PASSPHRASE', async () => {
    const { t, blobs, packId } = await setup();
    const stranger = await newTestRepo();
    cleanups.push(() => stranger.cleanup());
    const s = await backupFiles(stranger.repo, { 'x/y': randomData(50_000) });
    await fsp.copyFile(join(stranger.dir, packPath(s.packs[0])), join(t.dir, packPath(packId)));
    const fresh = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    await assert.rejects(fresh.readBlob(blobs[0]), code('DATA_CORRUPT'));
  });

  test('corrupt index and corrupt snapshot info are reported; the pack can still be found by check', async () => {
    const { t, packId } = await setup();
    const idx = join(t.dir, 'index', `${packId}.idx`);
    const buf = await fsp.readFile(idx);
    buf[buf.length - 1] ^= 0xff;
    await fsp.writeFile(idx, buf);
    const fresh = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    const report = await fresh.check();
    assert.deepEqual(kinds(report), ['blob-missing', 'index-unreadable']);
  });

  test('check --packs limits the packs; sample picks a fraction', async () => {
    const { t, packId } = await setup();
    assert.equal((await t.repo.check({ packs: [packId] })).packsChecked, 1);
    assert.equal((await t.repo.check({ packs: [] })).packsChecked, 0);
    assert.equal((await t.repo.check({ sample: 0.01 })).packsChecked, 1);
  });
});

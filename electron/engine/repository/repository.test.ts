import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isRempartError } from '../base/errors.js';
import { tempLocalStore } from '../../../test-support/temp-local-store.js';
import { createRepository, openRepo } from './repository.js';
import { backupFiles, FAST_SCRYPT, newTestRepo, PASSPHRASE, randomData, readFile, textData, type TestRepo } from './test-fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function fresh(packSize?: number): Promise<TestRepo> {
  const t = await newTestRepo({ packSize });
  cleanups.push(() => t.cleanup());
  return t;
}
const code = (c: string) => (err: unknown) => isRempartError(err) && err.code === c;

describe('init and open', () => {
  test('init writes config, keys and the restore notes; open with the passphrase reads back', async () => {
    const t = await fresh();
    const names = (await t.store.list('')).map((f) => f.path).sort();
    assert.deepEqual(names, ['LISEZ-MOI-RESTAURATION.txt', 'README-RESTORE.txt', 'config.json', 'keys/identity.age', 'keys/writer.age']);
    const config = JSON.parse(await fsp.readFile(join(t.dir, 'config.json'), 'utf8'));
    assert.equal(config.format, 'rempart-repository');
    assert.equal(config.version, 1);
    assert.match(config.recipient, /^age1/);
    assert.equal(config.packSize, 16 * 1024 * 1024);
    assert.deepEqual(config.codecs, ['raw', 'brotli', 'zstd']);
    assert.match(t.recoveryKey, /^AGE-SECRET-KEY-1[0-9A-Z]+$/);
    assert.equal(t.repo.canRead, true);
    assert.equal(t.repo.id, config.id);
    const fr = await fsp.readFile(join(t.dir, 'LISEZ-MOI-RESTAURATION.txt'), 'utf8');
    assert.match(fr, /REMPART/);
    assert.ok(fr.includes(config.id));
  });

  test('init refuses an existing repository (REPOSITORY_EXISTS)', async () => {
    const t = await fresh();
    await assert.rejects(createRepository(t.store, { passphrase: 'x', scryptWorkFactor: FAST_SCRYPT }), code('REPOSITORY_EXISTS'));
  });

  test('pack size is clamped to 4 MiB..1 GiB', async () => {
    const a = await tempLocalStore();
    cleanups.push(a.cleanup);
    await createRepository(a.store, { passphrase: 'p', packSize: 1000, scryptWorkFactor: FAST_SCRYPT });
    const r = await openRepo(a.store, { passphrase: 'p' });
    assert.equal(r.config.packSize, 4 * 1024 * 1024);
  });

  test('wrong passphrase → WRONG_PASSPHRASE; foreign recovery key → WRONG_PASSPHRASE', async () => {
    const t = await fresh();
    const other = await fresh();
    await assert.rejects(openRepo(t.store, { passphrase: 'nope' }), code('WRONG_PASSPHRASE'));
    await assert.rejects(openRepo(t.store, { recoveryKey: other.recoveryKey }), code('WRONG_PASSPHRASE'));
    await assert.rejects(openRepo(t.store, { recoveryKey: 'AGE-SECRET-KEY-1NOTAKEY' }), code('WRONG_PASSPHRASE'));
    await assert.rejects(openRepo(t.store, { writer: other.repo.credentials() }), code('WRONG_PASSPHRASE'));
    // Right repository id and recipient, wrong writer key, empty repository: still refused.
    const forged = { ...t.repo.credentials(), writerKey: other.repo.credentials().writerKey };
    await assert.rejects(openRepo(t.store, { writer: forged }), code('WRONG_PASSPHRASE'));
  });

  test('an empty folder is NOT_A_REPOSITORY; a newer format is FORMAT_TOO_NEW', async () => {
    const empty = await tempLocalStore();
    cleanups.push(empty.cleanup);
    await assert.rejects(openRepo(empty.store, { passphrase: PASSPHRASE }), code('NOT_A_REPOSITORY'));
    await fsp.writeFile(join(empty.dir, 'config.json'), '{"hello":"world"}');
    await assert.rejects(openRepo(empty.store, { passphrase: PASSPHRASE }), code('NOT_A_REPOSITORY'));
    const t = await fresh();
    const path = join(t.dir, 'config.json');
    const config = JSON.parse(await fsp.readFile(path, 'utf8'));
    await fsp.writeFile(path, JSON.stringify({ ...config, version: 2 }));
    await assert.rejects(openRepo(t.store, { passphrase: PASSPHRASE }), code('FORMAT_TOO_NEW'));
  });
});

describe('blobs and snapshots', () => {
  test('round trip: files back up, list, and read back byte for byte with passphrase and with the recovery key', async () => {
    const t = await fresh();
    const files = { 'src/compta.db': randomData(700_000), 'src/factures/F001.txt': textData(300_000), 'src/vide.txt': Buffer.alloc(0) };
    const snap = await backupFiles(t.repo, files);
    assert.equal(snap.id.length, 64);
    assert.match(snap.name, /^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    assert.equal(snap.packs.length, 1);
    const byRecovery = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    for (const r of [t.repo, byRecovery]) {
      const m = await r.loadManifest('latest');
      assert.equal(m.id, snap.id);
      for (const e of m.entries) assert.deepEqual(await readFile(r, e), files[e.path as keyof typeof files]);
    }
    const listing = await byRecovery.loadListing(snap.id.slice(0, 6));
    assert.deepEqual(listing.map((e) => e.path).sort(), Object.keys(files).sort());
    assert.equal(listing.find((e) => e.path === 'src/compta.db')?.size, 700_000);
  });

  test('many blobs of one pack read concurrently come back right (shared read windows)', async () => {
    const t = await fresh();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 40; i++) files[`src/f${i}`] = randomData(20_000 + i * 1000);
    await backupFiles(t.repo, files);
    const reader = await openRepo(t.store, { recoveryKey: t.recoveryKey });
    const m = await reader.loadManifest('latest');
    const got = await Promise.all(m.entries.map((e) => readFile(reader, e)));
    m.entries.forEach((e, i) => assert.deepEqual(got[i], files[e.path]));
  });

  test('deduplicates: the same content twice adds no pack', async () => {
    const t = await fresh();
    const data = randomData(400_000);
    await backupFiles(t.repo, { 'src/a': data });
    const packsBefore = (await t.store.list('data')).length;
    const s2 = await backupFiles(t.repo, { 'src/a': data, 'src/copy-of-a': data });
    assert.equal((await t.store.list('data')).length, packsBefore);
    assert.equal(s2.packs.length, 1);
    assert.equal((await t.repo.listSnapshots()).length, 2);
  });

  test('a fresh writer-only open sees the index (dedup) and lists snapshots but cannot read data (SECRET_REQUIRED)', async () => {
    const t = await fresh();
    const data = randomData(300_000);
    const snap = await backupFiles(t.repo, { 'src/a': data });
    const writer = await openRepo(t.store, { writer: t.repo.credentials() });
    assert.equal(writer.canRead, false);
    assert.ok(writer.hasBlob(t.repo.blobId(data.subarray(0, 256 * 1024))));
    assert.deepEqual((await writer.listSnapshots()).map((s) => s.id), [snap.id]);
    assert.equal((await writer.loadListing('latest'))[0].path, 'src/a');
    const id = t.repo.blobId(data.subarray(0, 256 * 1024));
    await assert.rejects(writer.readBlob(id), code('SECRET_REQUIRED'));
    await assert.rejects(writer.loadManifest('latest'), code('SECRET_REQUIRED'));
    await assert.rejects(writer.check({ readData: true }), code('SECRET_REQUIRED'));
    assert.equal((await writer.check()).ok, true);
  });

  test('several packs are written when data exceeds the pack size; unknown snapshot → SNAPSHOT_NOT_FOUND', async () => {
    const t = await fresh(4 * 1024 * 1024);
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 5; i++) files[`src/photo-${i}.jpg`] = randomData(2_200_000);
    const snap = await backupFiles(t.repo, files);
    assert.ok(snap.packs.length >= 2, `expected ≥2 packs, got ${snap.packs.length}`);
    const idx = await t.store.list('index');
    assert.equal(idx.length, snap.packs.length);
    const m = await t.repo.loadManifest(snap.id);
    assert.deepEqual(await readFile(t.repo, m.entries[4]), files['src/photo-4.jpg']);
    await assert.rejects(t.repo.loadManifest('ffffffff'), code('SNAPSHOT_NOT_FOUND'));
  });

  test('the index is cached under cacheDir; a damaged cached copy falls back to the repository', async () => {
    const t = await fresh();
    const data = randomData(100_000);
    const snap = await backupFiles(t.repo, { 'src/a': data });
    const cacheDir = await fsp.mkdtemp(join(t.dir, '..', 'rempart-cache-'));
    cleanups.push(() => fsp.rm(cacheDir, { recursive: true, force: true }));
    await openRepo(t.store, { writer: t.repo.credentials() }, { cacheDir });
    const cached = join(cacheDir, 'index', `${snap.packs[0]}.idx`);
    const buf = await fsp.readFile(cached);
    assert.deepEqual(buf, await fsp.readFile(join(t.dir, 'index', `${snap.packs[0]}.idx`)));
    buf[20] ^= 0xff;
    await fsp.writeFile(cached, buf);
    await fsp.writeFile(join(cacheDir, 'index', `${'0'.repeat(64)}.idx`), 'a pruned pack');
    const again = await openRepo(t.store, { recoveryKey: t.recoveryKey }, { cacheDir });
    assert.deepEqual(await again.readBlob(t.repo.blobId(data)), data);
    assert.equal((await again.check()).ok, true);
    assert.deepEqual(await fsp.readdir(join(cacheDir, 'index')), [`${snap.packs[0]}.idx`], 'stale cached copies are dropped');
  });

  test('passwd: new passphrase opens, old does not, recovery key still does; data/ untouched', async () => {
    const t = await fresh();
    await backupFiles(t.repo, { 'src/a': randomData(100_000) });
    const before = await t.store.list('data');
    const writerBefore = await fsp.readFile(join(t.dir, 'keys/writer.age'));
    await t.repo.changePassphrase('nouvelle phrase très secrète');
    await assert.rejects(openRepo(t.store, { passphrase: PASSPHRASE }), code('WRONG_PASSPHRASE'));
    const r = await openRepo(t.store, { passphrase: 'nouvelle phrase très secrète' });
    assert.equal(r.canRead, true);
    assert.equal((await openRepo(t.store, { recoveryKey: t.recoveryKey })).canRead, true);
    assert.deepEqual(await t.store.list('data'), before);
    assert.deepEqual(await fsp.readFile(join(t.dir, 'keys/writer.age')), writerBefore);
    const writer = await openRepo(t.store, { writer: t.repo.credentials() });
    await assert.rejects(writer.changePassphrase('x'), code('SECRET_REQUIRED'));
  });

  test('shareKeysWith: a second repository dedups alike (same blob ids) and opens with the same recovery key', async () => {
    const t = await fresh();
    const b = await tempLocalStore();
    cleanups.push(b.cleanup);
    const init = await createRepository(b.store, {
      passphrase: 'autre',
      scryptWorkFactor: FAST_SCRYPT,
      shareKeysWith: { recoveryKey: t.recoveryKey, writer: t.repo.credentials() },
    });
    assert.notEqual(init.repoId, t.repo.id);
    const second = await openRepo(b.store, { recoveryKey: t.recoveryKey });
    const data = Buffer.from('même contenu');
    assert.equal(second.blobId(data), t.repo.blobId(data));
  });
});

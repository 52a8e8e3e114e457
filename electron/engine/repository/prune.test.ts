import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../base/clock.js';
import { isRempartError } from '../base/errors.js';
import { openRepo } from './repository.js';
import { backupFiles, newTestRepo, putFiles, randomData, readFile, type TestRepo } from './test-fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function fresh(clock: FakeClock): Promise<TestRepo> {
  const t = await newTestRepo({ clock, open: { timeZone: 'Europe/Paris' } });
  cleanups.push(() => t.cleanup());
  return t;
}
const packNames = async (t: TestRepo) => (await t.store.list('data')).map((f) => f.path).sort();
const DAY = 86_400_000;

describe('forget and prune', () => {
  test('forget keeps what the policy says; prune (writer key) removes only packs no kept snapshot names', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 1, 17));
    const t = await fresh(clock);
    const shared = randomData(100_000);
    const s1 = await backupFiles(t.repo, { 'src/shared': shared, 'src/one': randomData(300_000) });
    await clock.advance(DAY);
    const s2 = await backupFiles(t.repo, { 'src/shared': shared, 'src/two': randomData(300_000) });
    await clock.advance(DAY);
    const s3files = { 'src/shared': shared, 'src/three': randomData(300_000) };
    const s3 = await backupFiles(t.repo, s3files);
    assert.equal((await packNames(t)).length, 3);

    const dry = await t.repo.forget({ keepLast: 1 }, { dryRun: true, prune: true });
    assert.deepEqual(dry.removed.sort(), [s1.id, s2.id].sort());
    assert.equal((await t.repo.listSnapshots()).length, 3, 'dry run removes nothing');
    assert.equal((await packNames(t)).length, 3);
    // With the identity: s2's pack goes, and s1's pack (25 % alive) would be repacked.
    assert.deepEqual(dry.prune && { removed: dry.prune.packsRemoved, repacked: dry.prune.packsRepacked }, { removed: 2, repacked: 1 });

    const writer = await openRepo(t.store, { writer: t.repo.credentials() }, { clock, timeZone: 'Europe/Paris' });
    const r = await writer.forget({ keepLast: 1 }, { prune: true });
    assert.deepEqual(r.kept, [s3.id]);
    assert.equal(r.prune?.packsRemoved, 1, 'only the pack of s2 is unused');
    assert.equal(r.prune?.packsRepacked, 0, 'no repack without the identity');
    assert.deepEqual((await t.store.list('snapshots')).length, 2);
    const s2own = s2.packs.filter((p) => !s1.packs.includes(p));
    assert.equal(s2own.length, 1);
    assert.ok(!(await packNames(t)).some((p) => p.includes(s2own[0])));
    assert.equal((await t.store.list('index')).length, 2);

    const reader = await openRepo(t.store, { recoveryKey: t.recoveryKey }, { clock });
    const report = await reader.check({ readData: true });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    const m = await reader.loadManifest('latest');
    for (const e of m.entries) assert.deepEqual(await readFile(reader, e), s3files[e.path as keyof typeof s3files]);
  });

  test('prune with the identity repacks mostly-dead packs and rewrites the snapshot info to name the new pack', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 1, 17));
    const t = await fresh(clock);
    const small = randomData(50_000);
    const s1 = await backupFiles(t.repo, { 'src/small': small, 'src/big': randomData(600_000) });
    await clock.advance(DAY);
    const s2 = await backupFiles(t.repo, { 'src/small': small });
    assert.deepEqual(s2.packs, s1.packs, 'the second snapshot only reuses the first pack');
    const r = await t.repo.forget({ keepLast: 1 }, { prune: true });
    assert.deepEqual(r.removed, [s1.id]);
    assert.equal(r.prune?.packsRepacked, 1);
    assert.ok((r.prune?.bytesFreed ?? 0) > 500_000);
    const [info] = await t.repo.listSnapshots();
    assert.notDeepEqual(info.packs, s1.packs);
    assert.deepEqual(await packNames(t), [`data/${info.packs[0].slice(0, 2)}/${info.packs[0]}.pack`]);
    const reader = await openRepo(t.store, { recoveryKey: t.recoveryKey }, { clock });
    assert.equal((await reader.check({ readData: true })).ok, true);
    const m = await reader.loadManifest('latest');
    assert.deepEqual(await readFile(reader, m.entries[0]), small);
  });

  test('an interrupted run: its written packs are reused by the next run, and pruned only after the grace hour', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 1, 17));
    const t = await fresh(clock);
    const data = randomData(400_000);
    await putFiles(t.repo, { 'src/a': data });
    await t.repo.flush(); // packs written, no snapshot: like a run killed before its commit point
    await t.store.write(`data/ab/${'ab'.repeat(32)}.pack`, Buffer.from('partial'), 7); // a pack whose .idx never came
    assert.equal((await t.repo.listSnapshots()).length, 0);

    const next = await openRepo(t.store, { passphrase: 'correct horse battery staple' }, { clock });
    assert.ok(next.hasBlob(next.blobId(data.subarray(0, 256 * 1024))), 'the next run sees the written pack');
    const before = (await packNames(t)).length;
    const r1 = await next.prune();
    assert.equal(r1.packsRemoved, 1, 'only the pack without index goes at once');
    assert.equal((await packNames(t)).length, before - 1);
    await clock.advance(2 * 60 * 60_000);
    const r2 = await next.prune();
    assert.equal(r2.packsRemoved, 1, 'the orphan pack goes after an hour');
    assert.deepEqual(await packNames(t), []);
    assert.deepEqual(await t.store.list('index'), []);
  });

  test('a snapshot .info without its .age is invisible and removed by prune; forget with a bad policy is refused', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 1, 17));
    const t = await fresh(clock);
    const s = await backupFiles(t.repo, { 'src/a': randomData(10_000) });
    await fsp.rm(join(t.dir, 'snapshots', `${s.name}.age`));
    assert.deepEqual(await t.repo.listSnapshots(), []);
    await t.repo.prune();
    assert.deepEqual(await t.store.list('snapshots'), []);
    await assert.rejects(t.repo.forget({}), (e: unknown) => isRempartError(e, 'INVALID_INPUT'));
  });

  test('prune refuses to run when a snapshot info is unreadable (it could delete what that snapshot needs)', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 1, 17));
    const t = await fresh(clock);
    const s = await backupFiles(t.repo, { 'src/a': randomData(10_000) });
    await fsp.writeFile(join(t.dir, 'snapshots', `${s.name}.info`), 'garbage');
    await assert.rejects(t.repo.prune(), (e: unknown) => isRempartError(e, 'DATA_CORRUPT'));
    assert.equal((await packNames(t)).length, 1);
  });

  test('prune deletes temporary files of interrupted writes once they are older than the grace hour', async () => {
    const t = await fresh(new FakeClock(Date.now()));
    await backupFiles(t.repo, { 'src/a': randomData(10_000) });
    await fsp.mkdir(join(t.dir, 'data', 'ab'), { recursive: true });
    const old = join(t.dir, 'data', 'ab', '.tmp-killed-run');
    const young = join(t.dir, 'data', 'ab', '.tmp-running-now');
    await fsp.writeFile(old, 'half a pack');
    await fsp.writeFile(young, 'being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await fsp.utimes(old, twoHoursAgo, twoHoursAgo);
    await t.repo.prune();
    await assert.rejects(fsp.stat(old), /ENOENT/);
    assert.ok((await fsp.stat(young)).isFile(), 'a temp file younger than the grace hour may belong to a live write');
  });

  test('forget holds the exclusive lock: a second process gets REPOSITORY_LOCKED', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 1, 17));
    const t = await fresh(clock);
    await backupFiles(t.repo, { 'src/a': randomData(10_000) });
    const other = await openRepo(t.store, { recoveryKey: t.recoveryKey }, { clock, host: 'other-host' });
    await t.repo.withLock(async () => {
      await assert.rejects(other.forget({ keepLast: 1 }), (e: unknown) => isRempartError(e, 'REPOSITORY_LOCKED'));
      await assert.rejects(other.check(), (e: unknown) => isRempartError(e, 'REPOSITORY_LOCKED'));
    }, 'exclusive');
    assert.equal((await other.forget({ keepLast: 1 })).kept.length, 1);
  });
});

/**
 * The backup job through the engine facade, on real folders: several repositories fed by one read, one failing
 * repository detached, cancellation, write-only credentials, restore drill, a file changing while it is read.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, appendFile, readFile, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backup, initRepository, openRepository, openStore, isRepository, type BackupProgress, type Repository } from '../index.js';

let dir: string;
let src: string;
const PASS = { passphrase: 'pw' };

async function newRepo(name: string, share?: { recoveryKey: string; writer: import('../api.js').WriterCredentials }) {
  const store = await openStore(join(dir, name));
  const init = await initRepository({ store, passphrase: 'pw', scryptWorkFactor: 10, shareKeysWith: share });
  return { store, init };
}

async function open(name: string, secret: import('../api.js').RepoSecret = PASS): Promise<Repository> {
  return openRepository(await openStore(join(dir, name)), secret, { cacheDir: join(dir, 'cache', name) });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-backup-'));
  src = join(dir, 'Caisse');
  await mkdir(join(src, 'tickets'), { recursive: true });
  for (let i = 0; i < 20; i++) await writeFile(join(src, 'tickets', `t${i}.txt`), `ticket ${i} `.repeat(100 + i));
  await writeFile(join(src, 'base.db'), randomBytes(2 * 1024 * 1024));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The run's temporary files (backup-spool.ts) left in the local caches: none once a run is over. */
async function spoolFiles(): Promise<string[]> {
  const all = await readdir(join(dir, 'cache'), { recursive: true }).catch(() => [] as string[]);
  return all.filter((f) => f.endsWith('.spool'));
}

test('one read feeds several repositories; shared keys give equal blob ids; a failing repository is detached', async () => {
  const a = await newRepo('A');
  await newRepo('B', { recoveryKey: a.init.recoveryKey, writer: a.init.credentials });
  await newRepo('C');
  assert.equal(await isRepository(a.store), true);
  assert.equal(await isRepository(await openStore(join(dir, 'nothing'))), false);
  const [ra, rb, rc] = [await open('A'), await open('B'), await open('C')];
  // C's drive "goes away": its folder is replaced by a file, so every write fails
  await rm(join(dir, 'C', 'data'), { recursive: true, force: true });
  await writeFile(join(dir, 'C', 'data'), 'not a folder');
  const phases = new Set<string>();
  let spooled: string[] = [];
  const outcomes = await backup({
    repositories: [ra, rb, rc],
    sources: [src],
    onProgress: (p: BackupProgress) => {
      phases.add(p.phase);
      if (p.phase === 'finishing') void spoolFiles().then((f) => (spooled = f.length > spooled.length ? f : spooled));
    },
  });
  // while it ran, in the first repository's cache: the listing, and a manifest and a cache file for each group of
  // repositories (A and B share their keys; C, whose drive failed during the run, has its own)
  assert.equal(spooled.length, 5, JSON.stringify(spooled));
  assert.deepEqual(await spoolFiles(), [], 'the run removed its temporary files');
  assert.deepEqual(phases, new Set(['scanning', 'backing-up', 'finishing']));
  const [oa, ob, oc] = outcomes;
  assert.ok(oa.ok && ob.ok, JSON.stringify(outcomes));
  assert.equal(oc.ok, false);
  const total = 2 * 1024 * 1024 + (await Promise.all(Array.from({ length: 20 }, (_, i) => readFile(join(src, 'tickets', `t${i}.txt`))))).reduce((s, b) => s + b.length, 0);
  assert.equal(oa.snapshot.summary.bytesRead, total, 'every byte read once for all repositories');
  assert.equal(oa.snapshot.summary.newBlobs, ob.snapshot.summary.newBlobs);
  assert.ok(oa.newPacks.length > 0);
  assert.equal(ob.newPacks.length, oa.newPacks.length);
  for (const r of [ra, rb]) {
    const drill = await r.drill({ sampleFiles: 5 });
    assert.equal(drill.filesChecked, 5);
    assert.equal(drill.filesMatching, 5, JSON.stringify(drill));
  }
  // a file changed since the snapshot is reported apart, not as a mismatch
  await appendFile(join(src, 'base.db'), 'x');
  const drill = await ra.drill({ sampleFiles: 100 });
  assert.equal(drill.filesChangedSince, 1);
  assert.equal(drill.mismatches.length, 0);
  for (const r of [ra, rb, rc]) await r.close();
});

test('write-only credentials back up but cannot restore; the passphrase restores', async () => {
  const { init } = await newRepo('W');
  const writer = await open('W', { writer: init.credentials });
  assert.equal(writer.canRead, false);
  const [o] = await backup({ repositories: [writer], sources: [src] });
  assert.ok(o.ok, JSON.stringify(o));
  await assert.rejects(writer.restore({ snapshotId: 'latest', target: join(dir, 'out-w') }), /SECRET_REQUIRED|passphrase|recovery/i);
  const files = await writer.listFiles('latest');
  assert.ok(files.some((f) => f.path === 'Caisse/base.db'));
  await writer.close();
  const reader = await open('W', { recoveryKey: init.recoveryKey });
  const s = await reader.restore({ snapshotId: 'latest', target: join(dir, 'out-w') });
  assert.equal(s.errors.length, 0);
  assert.ok((await readFile(join(dir, 'out-w', 'Caisse', 'base.db'))).equals(await readFile(join(src, 'base.db'))));
  await reader.close();
});

test('cancelling leaves the repository consistent; the next run completes', async () => {
  await newRepo('X');
  const r = await open('X');
  const ac = new AbortController();
  const [o] = await backup({
    repositories: [r],
    sources: [src],
    signal: ac.signal,
    onProgress: (p) => {
      if (p.phase === 'backing-up') ac.abort();
    },
  });
  assert.equal(o.ok, false);
  assert.equal(!o.ok && o.error.code, 'CANCELLED');
  assert.deepEqual(await r.listSnapshots(), []);
  const report = await r.check();
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  const [o2] = await backup({ repositories: [r], sources: [src] });
  assert.ok(o2.ok);
  await r.close();
});

test('a file that keeps changing while read is re-read once, then recorded as read and flagged', async () => {
  await newRepo('Y');
  const r = await open('Y');
  const live = join(dir, 'Journal');
  await mkdir(live);
  await writeFile(join(live, 'journal.log'), randomBytes(16 * 1024 * 1024));
  let stop = false;
  const writer = (async () => {
    while (!stop) {
      await appendFile(join(live, 'journal.log'), 'ligne\n');
      await new Promise((res) => setTimeout(res, 2));
    }
  })();
  try {
    const [o] = await backup({ repositories: [r], sources: [live] });
    assert.ok(o.ok, JSON.stringify(o));
    assert.deepEqual(
      o.skipped.map((s) => [s.path, s.reason]),
      [['Journal/journal.log', 'changed-while-reading']],
    );
    const f = (await r.listFiles('latest')).find((e) => e.path === 'Journal/journal.log');
    assert.ok(f && f.size >= 16 * 1024 * 1024, 'recorded as it was read');
    assert.ok(o.snapshot.summary.bytesRead >= 32 * 1024 * 1024, 'read twice');
  } finally {
    stop = true;
    await writer;
    await r.close();
  }
});

test('a repository locked by another run is reported as REPOSITORY_LOCKED, with its own outcome', async () => {
  await newRepo('L');
  const [r1, r2] = [await open('L'), await open('L')];
  let second: Promise<import('../api.js').BackupOutcome[]> | undefined;
  const first = backup({
    repositories: [r1],
    sources: [src],
    onProgress: (p) => {
      if (p.phase === 'scanning' && !second) second = backup({ repositories: [r2], sources: [src] });
    },
  });
  const [o1] = await first;
  const [o2] = await second!;
  assert.ok(o1.ok, JSON.stringify(o1));
  assert.equal(o2.ok, false);
  assert.equal(!o2.ok && o2.error.code, 'REPOSITORY_LOCKED');
  await r1.close();
  await r2.close();
});

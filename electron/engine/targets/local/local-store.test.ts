import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isExists } from '../../repository/blob-store.js';
import { chunkedReadable, runBlobStoreSuite, testBytes } from '../../repository/blob-store-suite.js';
import { writeDriveMarker } from './drive-marker.js';
import { LocalStore, MAX_LOCAL_FILE_SIZE } from './local-store.js';

runBlobStoreSuite('local folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-local-'));
  return { store: new LocalStore(join(dir, 'repo')), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

const dirs: string[] = [];
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'rempart-local-'));
  dirs.push(d);
  return d;
};
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const code = (c: string) => (err: unknown) => (err as { code?: string }).code === c;

test('paths that are not plain relative paths, or that FAT cannot hold, are refused as INVALID_INPUT', async () => {
  const store = new LocalStore(join(await temp(), 'repo'));
  const bad = ['', '/abs', 'a/../b', '..', 'a//b', './a', 'a/', 'x:y', 'a\\b', 'q?', 's*', 'lt<', 'p|q', 'dot.', 'sp ', 'nul\0', 'tab\t'];
  for (const p of bad) {
    await assert.rejects(store.write(p, Buffer.from('x'), 1), code('INVALID_INPUT'), JSON.stringify(p));
    await assert.rejects(store.read(p), code('INVALID_INPUT'), JSON.stringify(p));
  }
  await assert.rejects(store.list('../up'), code('INVALID_INPUT'));
  await assert.rejects(store.write('ok.bin', Buffer.from('x'), -1), code('INVALID_INPUT'));
  assert.deepEqual(await store.list(''), []);
});

test('file size is capped before anything is written (FAT32-safe)', async () => {
  const root = join(await temp(), 'repo');
  let called = 0;
  const store = new LocalStore(root, { maxFileSize: 1000 });
  await assert.rejects(store.write('big.bin', () => (called++, Readable.from([Buffer.alloc(1001)])), 1001), code('FILE_TOO_LARGE'));
  assert.equal(called, 0);
  await assert.rejects(new LocalStore(root).write('huge.pack', Buffer.alloc(0), MAX_LOCAL_FILE_SIZE + 1), code('FILE_TOO_LARGE'));
  await store.write('ok.bin', Buffer.alloc(1000), 1000);
  assert.deepEqual(await readdir(root), ['ok.bin']);
});

test('a failed write leaves no temp file behind', async () => {
  const root = join(await temp(), 'repo');
  const store = new LocalStore(root);
  await store.write('d/keep.bin', Buffer.from('keep'), 4);
  await assert.rejects(store.write('d/short.bin', Buffer.from('abc'), 4));
  await assert.rejects(store.write('d/sha.bin', Readable.from([Buffer.from('abcd')]), 4, { sha256: '00'.repeat(32) }), code('DATA_CORRUPT'));
  const broken = new Readable({ read() { this.destroy(new Error('source read failed')); } });
  await assert.rejects(store.write('d/broken.bin', broken, 10), /source read failed/);
  assert.deepEqual(await readdir(join(root, 'd')), ['keep.bin']);
});

test('two racing writes of one path with overwrite:false: exactly one wins, the file is whole', async () => {
  const store = new LocalStore(join(await temp(), 'repo'));
  const a = testBytes(500_000, 1);
  const b = testBytes(500_000, 2);
  const results = await Promise.allSettled([
    store.write('race.bin', () => chunkedReadable(a, 8192), a.length),
    store.write('race.bin', () => chunkedReadable(b, 8192), b.length),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(isExists(loser.reason), String(loser.reason));
  const got = await store.read('race.bin');
  assert.ok(got.equals(a) || got.equals(b));
});

test('volume guard: marker checked before and after writes; a vanished volume is DRIVE_UNPLUGGED', async () => {
  const base = await temp();
  const vol = join(base, 'SAUVEGARDE');
  await mkdir(vol);
  const m = await writeDriveMarker(vol, { label: 'SAUVEGARDE', targetId: 'usb' });
  const root = join(vol, 'Rempart');
  const store = new LocalStore(root, { volumeRoot: vol, expectedDriveId: m.driveId });
  await store.write('a.bin', Buffer.from('a'), 1);
  assert.deepEqual(await store.list(''), [{ path: 'a.bin', size: 1 }]);

  const wrongDrive = new LocalStore(root, { volumeRoot: vol, expectedDriveId: 'another-drive' });
  await assert.rejects(wrongDrive.write('b.bin', Buffer.from('b'), 1), code('DRIVE_NOT_PLUGGED'));
  const absent = new LocalStore(join(base, 'GONE', 'Rempart'), { volumeRoot: join(base, 'GONE'), expectedDriveId: m.driveId });
  await assert.rejects(absent.write('b.bin', Buffer.from('b'), 1), code('DRIVE_NOT_PLUGGED'));
  assert.deepEqual((await readdir(base)).sort(), ['SAUVEGARDE'], 'nothing created for an absent drive');

  // The marker disappears while a write is streaming (another drive now answers at that path).
  const data = testBytes(300_000, 3);
  const p = store.write('c.bin', () => chunkedReadable(data, 16_384, 2), data.length, {
    onProgress: (n) => {
      if (n > 100_000) void rm(join(vol, '.rempart-drive.json'), { force: true });
    },
  });
  await assert.rejects(p, code('DRIVE_UNPLUGGED'));
  assert.deepEqual((await readdir(root)).sort(), ['a.bin']);

  await rm(vol, { recursive: true });
  await assert.rejects(store.write('d.bin', Buffer.from('d'), 1), code('DRIVE_UNPLUGGED'));
  await assert.rejects(store.read('a.bin'), code('DRIVE_UNPLUGGED'));
  await assert.rejects(store.list(''), code('DRIVE_UNPLUGGED'));
  await assert.rejects(store.stat('a.bin'), code('DRIVE_UNPLUGGED'));
  assert.deepEqual(await readdir(base), [], 'nothing recreated on the internal disk');
});

test('openRead honours an abort signal mid-stream', async () => {
  const store = new LocalStore(join(await temp(), 'repo'));
  const data = testBytes(3 * 1024 * 1024, 9);
  await store.write('s.bin', data, data.length);
  const ctl = new AbortController();
  const stream = await store.openRead('s.bin', { signal: ctl.signal });
  let got = 0;
  await assert.rejects(
    (async () => {
      for await (const c of stream) {
        got += (c as Buffer).length;
        if (got > 300_000) ctl.abort();
      }
    })(),
    code('CANCELLED'),
  );
  assert.ok(got < data.length);
});

test('space() reports the file system of the nearest existing folder', async () => {
  const sp = await new LocalStore(join(await temp(), 'not', 'yet', 'created')).space();
  assert.ok(sp.total !== null && sp.total > 0 && sp.free !== null && sp.free <= sp.total);
});

test('sweepTempFiles removes only old temp files of interrupted writes', async () => {
  const root = join(await temp(), 'repo');
  const store = new LocalStore(root);
  await store.write('data/ab/keep.pack', Buffer.from('k'), 1);
  const old = join(root, 'data', 'ab', '.tmp-0123456789ab');
  const fresh = join(root, '.tmp-ba9876543210');
  await writeFile(old, 'partial');
  await writeFile(fresh, 'in progress');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  await utimes(old, twoHoursAgo, twoHoursAgo);
  assert.equal(await store.sweepTempFiles(), 1);
  assert.deepEqual(await readdir(join(root, 'data', 'ab')), ['keep.pack']);
  assert.deepEqual((await readdir(root)).sort(), ['.tmp-ba9876543210', 'data']);
  const tenSecondsAgo = new Date(Date.now() - 10_000);
  await utimes(fresh, tenSecondsAgo, tenSecondsAgo);
  assert.equal(await store.sweepTempFiles(5_000), 1);
  assert.deepEqual(await readdir(root), ['data']);
});

test('a repository folder made by the first write, then moved away: writes fail DRIVE_UNPLUGGED and never make it again', async () => {
  const dir = await temp();
  const root = join(dir, 'Sauvegardes', 'repo');
  const store = new LocalStore(root);
  await store.write('config', Buffer.from('{}'), 2); // a new location (init): the folder and its parents are made
  await store.write('data/ab/pack-1', testBytes(1000, 1), 1000);
  await rename(root, join(dir, 'moved'));
  const gone = (err: unknown) => (err as { code?: string }).code === 'DRIVE_UNPLUGGED' && /repository folder .* is gone/.test(String((err as Error).message));
  await assert.rejects(store.write('data/cd/pack-2', testBytes(1000, 2), 1000), gone);
  await assert.rejects(store.write('index/ef.idx', testBytes(10, 3), 10), gone);
  await assert.rejects(store.temporaryFile!('data'), gone);
  // a store that found the folder by reading it (an opened repository) does the same
  const opened = new LocalStore(join(dir, 'moved'));
  assert.equal((await opened.stat('config'))?.size, 2);
  await rename(join(dir, 'moved'), join(dir, 'moved-again'));
  await assert.rejects(opened.write('data/gh/pack-3', testBytes(100, 4), 100), gone);
  assert.deepEqual((await readdir(join(dir, 'Sauvegardes'))).sort(), [], 'nothing was made again where the folder was');
  assert.deepEqual((await readdir(dir)).sort(), ['Sauvegardes', 'moved-again']);
});

test('a temporary pack file whose folder is moved away before it is placed: DRIVE_UNPLUGGED, nothing made again', async () => {
  const dir = await temp();
  const root = join(dir, 'repo');
  const store = new LocalStore(root);
  await store.write('config', Buffer.from('{}'), 2);
  const tmp = await store.temporaryFile!('data');
  await writeFile(tmp.file, testBytes(500, 5));
  await rename(root, join(dir, 'elsewhere'));
  await assert.rejects(tmp.commit('data/ab/pack', 500), (err: unknown) => (err as { code?: string }).code === 'DRIVE_UNPLUGGED');
  assert.deepEqual(await readdir(dir), ['elsewhere']);
});

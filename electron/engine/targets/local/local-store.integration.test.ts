import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { chunkedReadable, runBlobStoreSuite, testBytes } from '../../repository/blob-store-suite.js';
import { createFatImage, fatImageUnavailable, type FatImage, type FatKind } from '../../../../test-support/usb-image.js';
import { hasTool } from '../../../../test-support/tools.js';
import { findEnrolledDrives, listMountedDrives, writeDriveMarker } from './drive-marker.js';
import { LocalStore } from './local-store.js';
import { join } from 'node:path';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const fs of ['fat32', 'exfat'] as FatKind[]) {
  const why = fatImageUnavailable(fs);
  if (why && !process.env.CI) {
    test(`BlobStore conformance on ${fs}`, (t) => t.skip(why));
    continue;
  }
  runBlobStoreSuite(`${fs} image over FUSE`, async () => {
    const img = await createFatImage({ sizeMB: 64, fs });
    const marker = await writeDriveMarker(img.mountPath, { label: img.label, targetId: 'usb' });
    const store = new LocalStore(join(img.mountPath, 'Rempart'), { volumeRoot: img.mountPath, expectedDriveId: marker.driveId });
    return { store, cleanup: () => img.cleanup() };
  });
}

const codeOf = (err: unknown) => (err as { code?: string }).code;

async function fill(store: LocalStore, prefix: string, fileBytes: number, max = 200): Promise<{ written: string[]; err: unknown }> {
  const written: string[] = [];
  for (let i = 0; i < max; i++) {
    const p = `${prefix}/f${String(i).padStart(3, '0')}.pack`;
    try {
      await store.write(p, testBytes(fileBytes, i), fileBytes);
      written.push(p);
    } catch (err) {
      return { written, err };
    }
  }
  return { written, err: null };
}

for (const fs of ['fat32', 'exfat'] as FatKind[]) {
  describe(`faults on a ${fs} drive`, { skip: (!process.env.CI && fatImageUnavailable(fs)) || false }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups) await c();
    });
    const drive = async (sizeMB: number, fuseOptions?: string[]) => {
      const img = await createFatImage({ sizeMB, fs, fuseOptions });
      cleanups.push(() => img.cleanup());
      const marker = await writeDriveMarker(img.mountPath, { label: img.label, targetId: 'usb' });
      const root = join(img.mountPath, 'Rempart');
      const store = new LocalStore(root, { volumeRoot: img.mountPath, expectedDriveId: marker.driveId });
      return { img, store, root, driveId: marker.driveId };
    };

    test('many concurrent writes pass the drive guard (fusefat reads zeros transiently meanwhile)', async () => {
      const { store } = await drive(64, []); // [] = fusefat with the page cache, where the zero reads happen
      const writer = async (w: number) => {
        for (let i = 0; i < 6; i++) {
          const data = testBytes(256 * 1024, w * 10 + i);
          await store.write(`conc/c${i}/f${w}.pack`, () => chunkedReadable(data, 32 * 1024), data.length);
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
      for (let w = 0; w < 8; w++) for (let i = 0; i < 6; i++) {
        assert.equal(sha(await store.read(`conc/c${i}/f${w}.pack`)), sha(testBytes(256 * 1024, w * 10 + i)));
      }
    });

    test('a full drive gives DISK_FULL and leaves only complete files', async () => {
      const { store, root } = await drive(40);
      const { written, err } = await fill(store, 'data', 1024 * 1024);
      assert.equal(codeOf(err), 'DISK_FULL', String(err));
      assert.ok(written.length > 10, `wrote ${written.length} files before full`);
      const listed = await store.list('data');
      assert.deepEqual(listed.map((f) => f.path).sort(), written);
      for (const f of listed) assert.equal(f.size, 1024 * 1024);
      assert.deepEqual((await readdir(join(root, 'data'))).filter((n) => n.startsWith('.tmp-')), []);
      for (const [i, p] of written.entries()) assert.equal(sha(await store.read(p)), sha(testBytes(1024 * 1024, i)), p);
      await store.remove(written[0]);
      await store.remove(written[1]);
      await store.write('after-full.bin', testBytes(1000), 1000);
      assert.equal((await store.stat('after-full.bin'))?.size, 1000);
    });

    test('kill -9 of the FUSE daemon mid-write gives DRIVE_UNPLUGGED, not a hang; earlier files survive', async () => {
      const { img, store } = await drive(64);
      await store.write('before.bin', testBytes(300_000, 1), 300_000);
      await store.write('reader.bin', testBytes(4 * 1024 * 1024, 9), 4 * 1024 * 1024);
      const reader = await store.openRead('reader.bin');
      const data = testBytes(8 * 1024 * 1024, 2);
      let unplugged = false;
      const t0 = Date.now();
      const p = store.write('data/mid.pack', () => chunkedReadable(data, 64 * 1024, 5), data.length, {
        onProgress: (n) => {
          if (n >= 1024 * 1024 && !unplugged) {
            unplugged = true;
            void img.unplug();
          }
        },
      });
      await assert.rejects(p, (err) => codeOf(err) === 'DRIVE_UNPLUGGED');
      assert.ok(Date.now() - t0 < 15_000);
      await assert.rejects(store.write('next.bin', Buffer.from('x'), 1), (err) => codeOf(err) === 'DRIVE_UNPLUGGED');
      await assert.rejects(store.list('data'), (err) => codeOf(err) === 'DRIVE_UNPLUGGED');
      // A stream opened before the unplug never hangs: it errors, or (exFAT: kernel page cache) yields the right bytes.
      const parts: Buffer[] = [];
      try {
        for await (const c of reader) parts.push(c as Buffer);
        assert.equal(sha(Buffer.concat(parts)), sha(testBytes(4 * 1024 * 1024, 9)));
      } catch (err) {
        assert.equal(codeOf(err), 'DRIVE_UNPLUGGED', String(err));
      }
      await img.remount({ fsck: true });
      const again = new LocalStore(store.root, { volumeRoot: img.mountPath });
      assert.equal(await again.stat('data/mid.pack'), null);
      assert.deepEqual(await again.read('before.bin'), testBytes(300_000, 1));
    });

    test('a lazy unmount mid-run gives DRIVE_UNPLUGGED and writes nothing on the internal disk', async () => {
      const { img, store, root, driveId } = await drive(64);
      await store.write('before.bin', testBytes(200_000, 3), 200_000);
      const data = testBytes(4 * 1024 * 1024, 4);
      let done = false;
      const p = store.write('data/lazy.pack', () => chunkedReadable(data, 64 * 1024, 5), data.length, {
        onProgress: (n) => {
          if (n >= 512 * 1024 && !done) {
            done = true;
            void img.unmountLazy();
          }
        },
      });
      await assert.rejects(p, (err) => codeOf(err) === 'DRIVE_UNPLUGGED');
      await assert.rejects(store.write('data/after.pack', testBytes(1000), 1000), (err) => codeOf(err) === 'DRIVE_UNPLUGGED');
      await assert.rejects(store.read('before.bin'), (err) => codeOf(err) === 'DRIVE_UNPLUGGED');
      const nextRun = new LocalStore(root, { volumeRoot: img.mountPath, expectedDriveId: driveId });
      await assert.rejects(nextRun.write('data/next-run.pack', testBytes(10), 10), (err) => codeOf(err) === 'DRIVE_NOT_PLUGGED');
      assert.deepEqual(await readdir(img.mountPath), [], 'the bare mount folder on the internal disk stays empty');
      await img.remount();
      assert.equal(await store.stat('data/lazy.pack'), null);
      assert.equal(await store.stat('data/after.pack'), null);
      assert.deepEqual(await store.read('before.bin'), testBytes(200_000, 3));
      await store.write('data/after-remount.pack', testBytes(1000), 1000);
    });
  });
}

describe('read-only drive and per-process file size limit', { skip: (!process.env.CI && fatImageUnavailable('fat32')) || false }, () => {
  let cleanup = async () => {};
  after(() => cleanup());

  test('a drive remounted read-only gives READ_ONLY on write and still reads', async () => {
    const img = await createFatImage({ sizeMB: 40, fs: 'fat32' });
    cleanup = () => img.cleanup();
    const marker = await writeDriveMarker(img.mountPath, { label: img.label, targetId: 'usb' });
    const store = new LocalStore(join(img.mountPath, 'Rempart'), { volumeRoot: img.mountPath, expectedDriveId: marker.driveId });
    await store.write('data/a.pack', testBytes(5000, 1), 5000);
    await img.remount({ readOnly: true });
    await assert.rejects(store.write('data/b.pack', testBytes(5000, 2), 5000), (err) => codeOf(err) === 'READ_ONLY');
    assert.deepEqual(await store.read('data/a.pack'), testBytes(5000, 1));
    assert.deepEqual((await store.list('data')).map((f) => f.path), ['data/a.pack']);
  });

  test('EFBIG (RLIMIT_FSIZE, as FAT32 gives past 4 GiB) becomes FILE_TOO_LARGE and leaves nothing', { skip: !hasTool('prlimit') }, async (t) => {
    const img = await createFatImage({ sizeMB: 40, fs: 'fat32' });
    t.after(() => img.cleanup());
    const moduleFile = fileURLToPath(new URL('./local-store.js', import.meta.url)).replace(/\.js$/, '.ts');
    const script = `const { LocalStore } = await import(process.argv[1]); const s = new LocalStore(process.argv[2]);
      try { await s.write('big.pack', Buffer.alloc(300000, 7), 300000); console.log('WROTE'); } catch (e) { console.log('CODE=' + e.code); }`;
    const root = join(img.mountPath, 'Rempart');
    const child = spawn('prlimit', ['--fsize=100000', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, moduleFile, root]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await once(child, 'close');
    assert.match(out, /CODE=FILE_TOO_LARGE/, out);
    assert.deepEqual(await readdir(root), [], 'no temp file and no partial file');
  });
});

describe('drive detection on real FUSE mounts', { skip: (!process.env.CI && fatImageUnavailable('exfat')) || false }, () => {
  test('an enrolled drive is found while mounted, not after a lazy unmount or an unplug', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'rempart-drives-'));
    const images: FatImage[] = [];
    t.after(async () => {
      for (const img of images) await img.cleanup();
      await rm(dir, { recursive: true, force: true });
    });
    const fat = await createFatImage({ sizeMB: 40, fs: 'fat32', label: 'SAUVEGARDE', dir });
    images.push(fat);
    const ex = await createFatImage({ sizeMB: 40, fs: 'exfat', label: 'AUTRE', dir });
    images.push(ex);
    assert.equal(ex.parent, fat.parent);
    const m = await writeDriveMarker(fat.mountPath, { label: 'Clé du soir', targetId: 'usb-1' });
    const drives = (await listMountedDrives([fat.parent])).sort((a, b) => a.label.localeCompare(b.label));
    assert.deepEqual(drives.map((d) => [d.label, d.isMountPoint, d.marker?.driveId ?? null]), [
      ['AUTRE', true, null],
      ['SAUVEGARDE', true, m.driveId],
    ]);
    assert.equal(drives[1].free, null, 'fusefat does not report space');
    assert.ok(drives[0].total !== null && drives[0].total > 30e6 && drives[0].free !== null);
    assert.deepEqual((await findEnrolledDrives([fat.parent], { targetId: 'usb-1' })).map((d) => d.mountPath), [fat.mountPath]);

    await fat.unmountLazy();
    const afterLazy = await listMountedDrives([fat.parent]);
    assert.deepEqual(afterLazy.find((d) => d.label === 'SAUVEGARDE')?.isMountPoint, false);
    assert.deepEqual(await findEnrolledDrives([fat.parent]), []);
    await fat.remount();
    assert.equal((await findEnrolledDrives([fat.parent])).length, 1);
    await fat.unplug();
    assert.deepEqual(await findEnrolledDrives([fat.parent]), [], 'a dead mount (ENOTCONN) is not a drive');
    assert.deepEqual((await listMountedDrives([fat.parent])).map((d) => d.label), ['AUTRE']);
  });
});

/**
 * Backups onto a real FAT32 image over FUSE: the drive unplugged mid-run (FUSE daemon killed) and a drive filling up.
 * The failing copy is detached with its code while the other copy completes; after remounting, earlier snapshots
 * restore byte for byte and the next backup completes.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFatImage, requireFatImage, type FatImage } from '../../../test-support/usb-image.js';
import { backup, initRepository, openRepository, openStore, type Repository } from '../index.js';

const images: FatImage[] = [];
const dirs: string[] = [];

after(async () => {
  for (const img of images) await img.cleanup().catch(() => {});
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function setup(sizeMB: number) {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-usbfault-'));
  dirs.push(dir);
  const img = await createFatImage({ sizeMB, fs: 'fat32' });
  images.push(img);
  const src = join(dir, 'Boutique');
  await mkdir(src);
  await writeFile(join(src, 'avant.txt'), 'état du matin');
  const usbPath = join(img.mountPath, 'Rempart');
  const usbStore = () => openStore(usbPath, { volumeRoot: img.mountPath });
  await initRepository({ store: await usbStore(), passphrase: 'pw', packSize: 4 * 1024 * 1024, scryptWorkFactor: 10 });
  await initRepository({ store: await openStore(join(dir, 'local')), passphrase: 'pw', scryptWorkFactor: 10 });
  const open = async (where: 'usb' | 'local'): Promise<Repository> =>
    openRepository(where === 'usb' ? await usbStore() : await openStore(join(dir, 'local')), { passphrase: 'pw' }, { cacheDir: join(dir, `cache-${where}`) });
  return { dir, img, src, open };
}

test('USB drive unplugged mid-run: that copy fails with DRIVE_UNPLUGGED, the other completes; earlier snapshots survive', async (t) => {
  if (!requireFatImage(t, 'fat32')) return;
  const { dir, img, src, open } = await setup(64);
  let [usb, local] = [await open('usb'), await open('local')];
  const first = await backup({ repositories: [usb, local], sources: [src] });
  assert.ok(first.every((o) => o.ok), JSON.stringify(first));

  await writeFile(join(src, 'gros.bin'), randomBytes(20 * 1024 * 1024));
  let unplugged = false;
  const second = await backup({
    repositories: [usb, local],
    sources: [src],
    onProgress: (p) => {
      if (!unplugged && p.phase === 'backing-up' && p.bytesDone > 6 * 1024 * 1024) {
        unplugged = true;
        void img.unplug();
      }
    },
  });
  assert.ok(unplugged, 'the drive was unplugged during the run');
  const [o1, o2] = second;
  assert.equal(o1.ok, false);
  assert.equal(!o1.ok && o1.error.code, 'DRIVE_UNPLUGGED', JSON.stringify(o1));
  assert.ok(o2.ok, JSON.stringify(o2));
  await usb.close().catch(() => {});

  await img.remount({ fsck: true });
  usb = await open('usb');
  const snaps = await usb.listSnapshots();
  assert.equal(snaps.length, 1, 'only the first snapshot was committed');
  const out = join(dir, 'out');
  const r = await usb.restore({ snapshotId: snaps[0].id, target: out });
  assert.equal(r.errors.length, 0);
  assert.equal(await readFile(join(out, 'Boutique', 'avant.txt'), 'utf8'), 'état du matin');
  const again = await backup({ repositories: [usb], sources: [src] });
  assert.ok(again[0].ok, JSON.stringify(again[0]));
  const report = await usb.check({ readData: true });
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  await usb.close();
  await local.close();
});

test('USB drive full: that copy fails with DISK_FULL, nothing already stored is lost', async (t) => {
  if (!requireFatImage(t, 'fat32')) return;
  const { src, open } = await setup(40);
  const usb = await open('usb');
  const first = await backup({ repositories: [usb], sources: [src] });
  assert.ok(first[0].ok, JSON.stringify(first[0]));
  await writeFile(join(src, 'trop gros.bin'), randomBytes(48 * 1024 * 1024));
  const [o] = await backup({ repositories: [usb], sources: [src] });
  assert.equal(o.ok, false);
  assert.equal(!o.ok && o.error.code, 'DISK_FULL', JSON.stringify(o));
  const snaps = await usb.listSnapshots();
  assert.equal(snaps.length, 1);
  const report = await usb.check({ readData: true });
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  await usb.close();
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DRIVE_MARKER_FILE,
  assertDriveMarker,
  defaultDriveRoots,
  findEnrolledDrives,
  listMountedDrives,
  readDriveMarker,
  writeDriveMarker,
} from './drive-marker.js';

const dirs: string[] = [];
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'rempart-marker-'));
  dirs.push(d);
  return d;
};
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('marker is written atomically as JSON and read back', async () => {
  const vol = await temp();
  const m = await writeDriveMarker(vol, { label: 'SAUVEGARDE', targetId: 'usb' });
  assert.match(m.driveId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(await readDriveMarker(vol), m);
  assert.deepEqual(await readdir(vol), [DRIVE_MARKER_FILE], 'no temp file left');
  const json = JSON.parse(await readFile(join(vol, DRIVE_MARKER_FILE), 'utf8'));
  assert.equal(json.targetId, 'usb');
  const m2 = await writeDriveMarker(vol, { label: 'NEW', targetId: 'usb', driveId: m.driveId });
  assert.equal((await readDriveMarker(vol))?.label, 'NEW');
  assert.equal(m2.driveId, m.driveId);
});

test('absent or invalid marker reads as null; assertDriveMarker checks the id', async () => {
  const vol = await temp();
  assert.equal(await readDriveMarker(vol), null);
  await assert.rejects(assertDriveMarker(vol, 'x'), (e: Error & { code?: string }) => e.code === 'DRIVE_UNPLUGGED');
  await writeFile(join(vol, DRIVE_MARKER_FILE), '{not json');
  assert.equal(await readDriveMarker(vol), null);
  await writeFile(join(vol, DRIVE_MARKER_FILE), JSON.stringify({ driveId: 42 }));
  assert.equal(await readDriveMarker(vol), null);
  const m = await writeDriveMarker(vol, { label: 'A', targetId: 't' });
  await assertDriveMarker(vol, m.driveId);
  await assert.rejects(assertDriveMarker(vol, 'another-drive'), /no longer/);
  assert.equal(await readDriveMarker(join(vol, 'missing-volume')), null);
});

test('listMountedDrives over explicit roots: every sub-folder is a drive, with marker and space', async () => {
  const root = await temp();
  const root2 = join(await temp(), 'does-not-exist');
  await mkdir(join(root, 'SAUVEGARDE'));
  await mkdir(join(root, 'CLE USB'));
  await mkdir(join(root, '.hidden'));
  await writeFile(join(root, 'a-file'), 'x');
  const m = await writeDriveMarker(join(root, 'SAUVEGARDE'), { label: 'Clé du lundi', targetId: 'usb-1' });
  const drives = (await listMountedDrives([root, root2])).sort((a, b) => a.label.localeCompare(b.label));
  assert.deepEqual(drives.map((d) => d.label), ['CLE USB', 'SAUVEGARDE']);
  assert.equal(drives[0].marker, null);
  assert.deepEqual(drives[1].marker, m);
  assert.equal(drives[1].mountPath, join(root, 'SAUVEGARDE'));
  assert.ok(drives[1].total === null || drives[1].total > 0);
  assert.equal(drives[1].isMountPoint, false, 'a plain folder is not a mount point');

  assert.deepEqual((await findEnrolledDrives([root])).map((d) => d.marker?.driveId), [m.driveId]);
  assert.equal((await findEnrolledDrives([root], { targetId: 'usb-1' })).length, 1);
  assert.equal((await findEnrolledDrives([root], { targetId: 'other' })).length, 0);
  assert.equal((await findEnrolledDrives([root], { driveId: m.driveId })).length, 1);
});

test('default drive roots per platform', () => {
  assert.deepEqual(defaultDriveRoots('linux', 'anne').map((r) => r.path), ['/media/anne', '/run/media/anne', '/mnt']);
  assert.deepEqual(defaultDriveRoots('darwin', 'anne'), [{ path: '/Volumes', kind: 'parent' }]);
  const win = defaultDriveRoots('win32', 'anne');
  assert.equal(win.length, 23);
  assert.deepEqual(win[0], { path: 'D:\\', kind: 'drive' });
  assert.equal(win.at(-1)?.path, 'Z:\\');
});

test('listMountedDrives with default roots returns only real mount points', async () => {
  for (const d of await listMountedDrives()) assert.equal(d.isMountPoint, true, d.mountPath);
});

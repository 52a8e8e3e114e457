import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDriveLister } from '../host/drive-lister.js';
import { watchingDriveLister } from './drives.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

test('lists the drives under a mount root and reports a newly mounted one', async () => {
  const root = await mkdtemp(join(tmpdir(), 'rempart-media-'));
  dirs.push(root);
  await mkdir(join(root, 'CLE-A'));
  const lister = watchingDriveLister(defaultDriveLister([root]), [root], 200);
  assert.deepEqual((await lister.list()).map((d) => d.label), ['CLE-A']);
  let changes = 0;
  const changed = new Promise<void>((resolve) => {
    const off = lister.watch!(() => {
      changes++;
      off();
      resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 100));
  await mkdir(join(root, 'Sauvegarde Boutique'));
  await Promise.race([changed, new Promise((_, rej) => setTimeout(() => rej(new Error('no change reported')), 5000))]);
  assert.equal(changes, 1);
  assert.deepEqual((await lister.list()).map((d) => d.label), ['CLE-A', 'Sauvegarde Boutique']);
});

test('a missing mount root is not an error', async () => {
  const missing = join(tmpdir(), 'rempart-no-such-root-' + process.pid);
  const lister = watchingDriveLister(defaultDriveLister([missing]), [missing], 200);
  assert.deepEqual(await lister.list(), []);
  const off = lister.watch!(() => undefined);
  off();
});

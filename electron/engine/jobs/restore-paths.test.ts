import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destinationIn, destinationOriginal, freeKeptAsidePath, keptAsideName, safeSegments } from './restore-paths.js';
import { isRempartError } from '../base/errors.js';

const escape = (e: unknown) => isRempartError(e, 'PATH_ESCAPE');

test('entries that try to leave the target are refused with PATH_ESCAPE', () => {
  for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/./b', '', 'a/b\0c', 'C:/Windows', '..', 'a/..']) {
    assert.throws(() => destinationIn('/tmp/t', bad), escape, JSON.stringify(bad));
  }
});

test('ordinary entries land under the target, odd names included', () => {
  assert.equal(destinationIn('/tmp/t', 'Docs/Crème brûlée 🍰.txt'), '/tmp/t/Docs/Crème brûlée 🍰.txt');
  assert.equal(destinationIn('/tmp/t/', 'Docs'), '/tmp/t/Docs');
  assert.deepEqual(safeSegments('a/b c/..d'), ['a', 'b c', '..d']);
});

test('restore to the original place maps the label to the source path', () => {
  const m = new Map([['Compta', '/home/anne/Compta'], ['Docs-2', '/mnt/Docs']]);
  assert.equal(destinationOriginal(m, 'Compta/2024/ventes.db'), '/home/anne/Compta/2024/ventes.db');
  assert.equal(destinationOriginal(m, 'Docs-2'), '/mnt/Docs');
  assert.throws(() => destinationOriginal(m, 'Autre/x'), escape);
  assert.throws(() => destinationOriginal(m, 'Compta/../../etc/x'), escape);
});

test('kept-aside names: clear, dated, extension kept, within 255 bytes', () => {
  const when = new Date(2026, 10, 24, 19, 30);
  assert.equal(keptAsideName('ventes.xlsx', when), 'ventes (avant restauration 2026-11-24 19h30).xlsx');
  assert.equal(keptAsideName('LISEZMOI', when), 'LISEZMOI (avant restauration 2026-11-24 19h30)');
  assert.equal(keptAsideName('a.tar.gz', when, 2), 'a.tar (avant restauration 2026-11-24 19h30 2).gz');
  const long = keptAsideName(`${'é'.repeat(125)}.txt`, when);
  assert.ok(Buffer.byteLength(long) <= 255);
  assert.ok(long.endsWith('19h30).txt'));
});

test('freeKeptAsidePath never reuses an existing name', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-aside-'));
  try {
    const when = new Date(2026, 10, 24, 19, 30);
    const first = await freeKeptAsidePath(dir, 'f.txt', when);
    assert.equal(first, join(dir, 'f (avant restauration 2026-11-24 19h30).txt'));
    await writeFile(first, 'x');
    const second = await freeKeptAsidePath(dir, 'f.txt', when);
    assert.equal(second, join(dir, 'f (avant restauration 2026-11-24 19h30 2).txt'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

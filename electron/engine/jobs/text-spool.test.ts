import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleSpools, TextSpool } from './text-spool.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'rempart-spool-'));
  dirs.push(d);
  return d;
}

async function readAll(s: TextSpool): Promise<{ text: string; pieces: number }> {
  const parts: Buffer[] = [];
  for await (const p of s.read()) parts.push(p);
  return { text: Buffer.concat(parts).toString('utf8'), pieces: parts.length };
}

const texts = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ path: `Factures/Facture ${i} – Élodie Côté 🧾.pdf`, i }));

test('texts go to a file in the folder as they come, read back comma-separated, and the file goes on close', async () => {
  const dir = await tempDir();
  const s = new TextSpool(dir, 'manifest');
  assert.equal(s.onDisk, true);
  const big = JSON.stringify({ path: 'é'.repeat(200_000) }); // bigger than the write buffer: written on its own
  for (const t of [...texts.slice(0, 100), big, ...texts.slice(100)]) s.add(t);
  const files = await readdir(dir);
  assert.equal(files.length, 1);
  assert.match(files[0], /^manifest-\d+-[0-9a-f]{8}\.spool$/);
  const { text, pieces } = await readAll(s);
  assert.ok(pieces > 1, 'read in pieces');
  assert.deepEqual(JSON.parse(`[${text}]`), [...texts.slice(0, 100), big, ...texts.slice(100)].map((t) => JSON.parse(t)));
  assert.ok((await readAll(s)).text === text, 'read again: the same');
  s.close();
  assert.deepEqual(await readdir(dir), []);
});

test('no folder, or one that cannot be made: the texts stay in memory, with the same result', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'not-a-folder'), 'x');
  for (const s of [new TextSpool(null, 'listing'), new TextSpool(join(dir, 'not-a-folder', 'cache'), 'listing')]) {
    assert.equal(s.onDisk, false);
    for (const t of texts.slice(0, 500)) s.add(t);
    assert.ok((await readAll(s)).text === texts.slice(0, 500).join(','));
    s.close();
  }
  const empty = new TextSpool(dir, 'empty');
  assert.equal((await readAll(empty)).text, '');
  empty.close();
});

test('a full disk midway: what the file holds is kept, the rest stays in memory, nothing is lost', { skip: process.getuid?.() !== 0 && 'needs root to mount a small tmpfs' }, async () => {
  const dir = join(await tempDir(), 'small');
  await mkdir(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
  try {
    const s = new TextSpool(dir, 'manifest');
    const all = [...texts.slice(0, 2000), 'x'.repeat(400_000), ...texts.slice(2000)]; // one text bigger than the buffer too
    for (const t of all) s.add(t); // ~1.8 MB: far more than the disk holds
    assert.equal(s.onDisk, false, 'gave up the file at ENOSPC');
    const { text } = await readAll(s);
    assert.ok(text === all.join(','), `read back ${text.length} characters of ${all.join(',').length}`);
    s.close();
    assert.deepEqual(await readdir(dir), []);
  } finally {
    execFileSync('umount', [dir]);
  }
});

test("a killed run's spool files are removed by the next one; a running process's stay", async () => {
  const dir = await tempDir();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has ended
  const mine = new TextSpool(dir, 'manifest-0');
  mine.add('"kept"');
  await writeFile(join(dir, `listing-${dead}-0123abcd.spool`), 'x');
  await writeFile(join(dir, `files-0-${dead}-89abcdef.spool`), 'x');
  await writeFile(join(dir, 'files-v1.json'), '{}'); // not a spool: never touched
  removeStaleSpools(dir);
  const left = (await readdir(dir)).sort();
  assert.equal(left.length, 2, JSON.stringify(left));
  assert.ok(left.includes('files-v1.json'));
  assert.match(left.find((f) => f !== 'files-v1.json')!, new RegExp(`^manifest-0-${process.pid}-`));
  mine.close();
  removeStaleSpools(join(dir, 'missing')); // no such folder: nothing to do
});

/**
 * Restore against hostile or awkward snapshots, written straight through the repository layer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, readdir, readFile, lstat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../open-store.js';
import { createRepository, openRepo, type Repo } from '../repository/repository.js';
import type { ManifestEntry } from '../repository/types.js';
import { restoreSnapshot, selectEntries } from './restore.js';
import { isRempartError } from '../base/errors.js';

let dir: string;
let repo: Repo;
const summary = { files: 1, dirs: 0, totalBytes: 5, bytesRead: 5, bytesStored: 5, newBlobs: 1, durationMs: 1, skipped: 0 };

async function fileEntry(path: string, content: string): Promise<ManifestEntry> {
  const data = Buffer.from(content);
  const id = repo.blobId(data);
  await repo.addBlob(id, { codec: 'raw', data, rawLength: data.length });
  return { path, type: 'file', size: data.length, mtime: '2025-06-01T10:00:00.000Z', mode: 0o644, sha256: createHash('sha256').update(data).digest('hex'), blobs: [id] };
}

async function snapshot(entries: ManifestEntry[]): Promise<string> {
  const s = await repo.withLock(() => repo.saveSnapshot({ host: 'h', sources: [{ label: 'S', path: join(dir, 'orig') }], summary, entries }), 'exclusive');
  return s.id;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-restore-'));
  const store = await openStore(join(dir, 'repo'));
  await createRepository(store, { passphrase: 'pw', scryptWorkFactor: 10 });
  repo = await openRepo(store, { passphrase: 'pw' }, { cacheDir: join(dir, 'cache') });
});

after(async () => {
  await repo.close();
  await rm(dir, { recursive: true, force: true });
});

test('entries escaping the target are refused with PATH_ESCAPE before anything is written', async () => {
  for (const evil of ['S/../../evil.txt', '/etc/evil', 'S/a\0b', '../evil']) {
    const id = await snapshot([await fileEntry('S/ok.txt', 'fine'), await fileEntry(evil, 'evil')]);
    const target = join(dir, `t-${createHash('md5').update(evil).digest('hex')}`);
    await assert.rejects(restoreSnapshot(repo, { snapshotId: id, target }), (e) => isRempartError(e, 'PATH_ESCAPE'), evil);
    assert.deepEqual(await readdir(target).catch(() => []), [], 'nothing restored');
  }
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('evil')), []);
});

test('a restored link never redirects a later write outside the target', async () => {
  const outside = join(dir, 'outside');
  await mkdir(outside);
  const id = await snapshot([
    { path: 'S', type: 'dir', size: 0, mtime: '2025-06-01T10:00:00.000Z', mode: 0o755 },
    { path: 'S/link', type: 'symlink', size: 0, mtime: '2025-06-01T10:00:00.000Z', mode: 0o777, target: outside },
    await fileEntry('S/link/pwned.txt', 'gotcha'),
  ]);
  const target = join(dir, 't-link');
  const s = await restoreSnapshot(repo, { snapshotId: id, target });
  assert.deepEqual(await readdir(outside), [], 'nothing written outside');
  assert.ok((await lstat(join(target, 'S', 'link'))).isSymbolicLink());
  assert.equal(s.keptAside.length, 1, 'the folder created for the file was kept aside, not written through');
  assert.equal(await readFile(join(s.keptAside[0].keptAs, 'pwned.txt'), 'utf8'), 'gotcha');
});

test('a pre-existing link in the target is not followed: the write is refused', async () => {
  const outside = join(dir, 'outside2');
  await mkdir(outside);
  const target = join(dir, 't-prelink');
  await mkdir(target);
  const { symlink } = await import('node:fs/promises');
  await symlink(outside, join(target, 'S'));
  const id = await snapshot([await fileEntry('S/x.txt', 'data')]);
  const s = await restoreSnapshot(repo, { snapshotId: id, target });
  assert.equal(s.errors.length, 1);
  assert.match(s.errors[0].message, /outside/);
  assert.deepEqual(await readdir(outside), []);
});

test('verifyFiles: a file whose content does not match its recorded sha256 is an error, not a silent restore', async () => {
  // the blobs are intact (their keyed ids verify): only the whole-file check can see this
  const good = await fileEntry('S/good.txt', 'good');
  const bad = { ...(await fileEntry('S/bad.txt', 'bad!')), sha256: '0'.repeat(64) };
  const [p1, p2] = [await fileEntry('S/p1', 'first part, '), await fileEntry('S/p2', 'second part')];
  const parts = { ...p1, path: 'S/parts.db', size: p1.size + p2.size, sha256: '1'.repeat(64), blobs: [...p1.blobs!, ...p2.blobs!] };
  const id = await snapshot([good, bad, parts]);
  const target = join(dir, 't-hash');
  const s = await restoreSnapshot(repo, { snapshotId: id, target, verifyFiles: true });
  assert.equal(s.filesRestored, 1);
  assert.deepEqual(s.errors.map((e) => e.path).sort(), ['S/bad.txt', 'S/parts.db']);
  assert.deepEqual((await readdir(join(target, 'S'))).sort(), ['good.txt'], 'no partial or temp file left');
  await writeFile(join(target, 'S', 'good.txt'), 'good');
  const again = await restoreSnapshot(repo, { snapshotId: id, target, include: ['S/good.txt'], verifyFiles: true });
  assert.equal(again.unchanged, 1);
  // without verifyFiles every byte is still checked, blob by blob: the same files restore from their verified blobs
  const plain = join(dir, 't-hash-blobs');
  const t = await restoreSnapshot(repo, { snapshotId: id, target: plain });
  assert.deepEqual([t.filesRestored, t.errors.length], [3, 0]);
  assert.equal(await readFile(join(plain, 'S', 'parts.db'), 'utf8'), 'first part, second part');
});

test('a restore stopped before its end removes the folders it created that stayed empty, and only those', async () => {
  const dirEntry = (path: string) => ({ path, type: 'dir' as const, size: 0, mtime: '2025-06-01T10:00:00.000Z', mode: 0o755 });
  const id = await snapshot([dirEntry('S'), dirEntry('S/a'), dirEntry('S/a/b'), await fileEntry('S/a/b/f.txt', 'f'), await fileEntry('S/x.txt', 'x')]);
  const stopped = new AbortController();
  stopped.abort(); // the folders are made first, then the files see the cancellation
  const fresh = join(dir, 't-stopped', 'deeper');
  await assert.rejects(restoreSnapshot(repo, { snapshotId: id, target: fresh, signal: stopped.signal }), (err) => isRempartError(err, 'CANCELLED'));
  await assert.rejects(lstat(join(dir, 't-stopped')), { code: 'ENOENT' }, 'the target folders it created went too');
  // into a folder that holds something already: what was there stays, down to an empty folder of the user's
  const used = join(dir, 't-stopped-used');
  await mkdir(join(used, 'mine'), { recursive: true });
  await writeFile(join(used, 'note.txt'), 'à garder');
  await assert.rejects(restoreSnapshot(repo, { snapshotId: id, target: used, signal: stopped.signal }), (err) => isRempartError(err, 'CANCELLED'));
  assert.deepEqual((await readdir(used)).sort(), ['mine', 'note.txt']);
  // a complete restore keeps every folder of the snapshot, empty or not
  const done = await restoreSnapshot(repo, { snapshotId: id, target: join(dir, 't-complete') });
  assert.equal(done.filesRestored, 2);
  assert.equal(await readFile(join(dir, 't-complete', 'S', 'a', 'b', 'f.txt'), 'utf8'), 'f');
});

test('include selects files and folders; unknown paths are an error', () => {
  const e = (path: string) => ({ path, type: 'file' as const, size: 0, mtime: '', mode: 0 });
  const all = [e('S/a'), e('S/ab'), e('S/a/b'), e('T/x')];
  assert.deepEqual(selectEntries(all, ['S/a']).map((x) => x.path), ['S/a', 'S/a/b']);
  assert.deepEqual(selectEntries(all, ['/T/']).map((x) => x.path), ['T/x']);
  assert.throws(() => selectEntries(all, ['S/zz']), (err) => isRempartError(err, 'INVALID_INPUT'));
});

test('restoring to the original place follows a source folder that is a link, and keeps it', async () => {
  const { symlink } = await import('node:fs/promises');
  await mkdir(join(dir, 'orig-real'));
  await symlink(join(dir, 'orig-real'), join(dir, 'orig'));
  const id = await snapshot([{ path: 'S', type: 'dir', size: 0, mtime: '2025-06-01T10:00:00.000Z', mode: 0o755 }, await fileEntry('S/f.txt', 'retour')]);
  const s = await restoreSnapshot(repo, { snapshotId: id, target: 'original' });
  assert.deepEqual(s.errors, []);
  assert.deepEqual(s.keptAside, []);
  assert.ok((await lstat(join(dir, 'orig'))).isSymbolicLink());
  assert.equal(await readFile(join(dir, 'orig-real', 'f.txt'), 'utf8'), 'retour');
});

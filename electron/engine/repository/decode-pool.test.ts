/**
 * The decode pool, with its workers and with the same processor on the calling thread (no workers): blobs verified
 * without plaintext coming back, plaintext on demand, whole new files written where they belong without ever replacing
 * anything, files written in parts then checked and renamed, and every kind of failure reported as before.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { tempLocalStore } from '../../../test-support/temp-local-store.js';
import { isRempartError } from '../base/errors.js';
import { blobId } from '../content/hashing.js';
import { DecodePool } from './decode-pool.js';
import { PackReader } from './pack-reader.js';
import type { IndexEntry } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const idKey = randomBytes(32);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function blob(plain: Buffer, compress = true): { entry: IndexEntry; stored: Buffer } {
  const stored = compress ? brotliCompressSync(plain) : plain;
  return { entry: { id: blobId(idKey, plain), codec: compress ? 'brotli' : 'raw', offset: 0, length: stored.length, rawLength: plain.length }, stored };
}

async function setup(workers: number) {
  const store = await tempLocalStore();
  cleanups.push(() => store.cleanup());
  const dir = await fsp.mkdtemp(join(tmpdir(), 'rempart-decode-'));
  cleanups.push(() => fsp.rm(dir, { recursive: true, force: true }));
  const pool = new DecodePool(idKey, new PackReader(store.store, '', idKey), workers);
  cleanups.push(() => pool.close());
  return { pool, dir };
}

for (const workers of [2, 0]) {
  const how = workers > 0 ? `${workers} workers` : 'no worker (calling thread)';

  test(`${how}: check and verify; a bit flip and a wrong id are DATA_CORRUPT naming the pack`, async () => {
    const { pool } = await setup(workers);
    const plain = Buffer.from('facture '.repeat(5000));
    const b = blob(plain);
    await pool.check('p1', b.entry, b.stored);
    assert.ok((await pool.verify('p1', b.entry, b.stored)).equals(plain));
    const many = Array.from({ length: 300 }, (_, i) => blob(Buffer.from(`ligne ${i} `.repeat(100 + i))));
    await Promise.all(many.map((m) => pool.check('p1', m.entry, m.stored))); // several batches, buffers reused
    const flipped = Buffer.from(b.stored);
    flipped[10] ^= 1;
    await assert.rejects(pool.check('p1', b.entry, flipped), (e) => isRempartError(e, 'DATA_CORRUPT') && /p1/.test((e as Error).message));
    const other = blob(Buffer.from('autre contenu'), false);
    await assert.rejects(pool.verify('p1', { ...other.entry, id: b.entry.id }, other.stored), (e) => isRempartError(e, 'DATA_CORRUPT') && /does not match its id/.test((e as Error).message));
  });

  test(`${how}: a whole new file is written with its mode and time; an existing one is never replaced`, async () => {
    const { pool, dir } = await setup(workers);
    const plain = randomBytes(70_000);
    const b = blob(plain, false);
    const file = { dest: join(dir, 'a.pdf'), size: plain.length, sha256: sha(plain), mode: 0o640, mtimeMs: Date.parse('2026-11-24T10:00:00Z'), path: 'S/a.pdf' };
    assert.deepEqual(await pool.write('p', b.entry, b.stored, [{ direct: file }]), [{ ok: true }]);
    assert.ok((await fsp.readFile(file.dest)).equals(plain));
    const st = await fsp.stat(file.dest);
    assert.equal(st.mode & 0o777, 0o640);
    assert.equal(st.mtimeMs, file.mtimeMs);
    // something is there now: refused (EEXIST), left as it was
    await fsp.writeFile(file.dest, 'autre');
    const [r] = await pool.write('p', b.entry, b.stored, [{ direct: file }]);
    assert.equal(r.ok, false);
    assert.equal((r as { error: NodeJS.ErrnoException }).error.code, 'EEXIST');
    assert.equal(await fsp.readFile(file.dest, 'utf8'), 'autre');
    // a blob that verifies but is not the file's recorded content: DATA_CORRUPT, nothing created
    const wrong = { ...file, dest: join(dir, 'b.pdf'), sha256: sha(Buffer.from('x')) };
    const [w] = await pool.write('p', b.entry, b.stored, [{ direct: wrong }]);
    assert.ok(!w.ok && isRempartError(w.error, 'DATA_CORRUPT'));
    await assert.rejects(fsp.stat(wrong.dest), { code: 'ENOENT' });
  });

  test(`${how}: a file in parts (shared and repeated blobs, out of order) is checked, timed and renamed by finish`, async () => {
    const { pool, dir } = await setup(workers);
    const p1 = randomBytes(50_000);
    const p2 = Buffer.from('page '.repeat(20_000));
    const whole = Buffer.concat([p2, p1, p2]);
    const tmp = join(dir, '.rempart-x.tmp');
    closeSync(openSync(tmp, 'wx', 0o600));
    const part = { file: 7, tmp, dest: join(dir, 'base.db'), size: whole.length, sha256: sha(whole), mode: 0o600, mtimeMs: Date.parse('2026-01-02T03:04:05Z'), existing: false, path: 'S/base.db' };
    const b1 = blob(p1, false);
    const b2 = blob(p2);
    assert.deepEqual(await pool.write('p', b1.entry, b1.stored, [{ part, position: p2.length }]), [{ ok: true }]);
    const twice = await pool.write('p', b2.entry, b2.stored, [{ part, position: 0 }, { part, position: p2.length + p1.length }]);
    assert.deepEqual(twice, [{ ok: true }, { ok: true }]);
    pool.forget(part.file);
    await pool.finish(part);
    assert.ok((await fsp.readFile(part.dest)).equals(whole));
    assert.equal((await fsp.stat(part.dest)).mtimeMs, part.mtimeMs);
    await assert.rejects(fsp.stat(tmp), { code: 'ENOENT' });
    // a part file whose content is not the recorded one: DATA_CORRUPT, not renamed
    const tmp2 = join(dir, '.rempart-y.tmp');
    closeSync(openSync(tmp2, 'wx', 0o600));
    const bad = { ...part, file: 8, tmp: tmp2, dest: join(dir, 'bad.db'), size: p1.length };
    await pool.write('p', b1.entry, b1.stored, [{ part: bad, position: 0 }]);
    await pool.finish({ ...bad, sha256: sha(p2) }).then(
      () => assert.fail('must be refused'),
      (e) => assert.ok(isRempartError(e, 'DATA_CORRUPT'), String(e)),
    );
    await assert.rejects(fsp.stat(bad.dest), { code: 'ENOENT' });
    // without a sha256 to compare with (restore's default: each blob was checked against its id), the size still is
    const tmp3 = join(dir, '.rempart-z.tmp');
    closeSync(openSync(tmp3, 'wx', 0o600));
    const short = { ...part, file: 9, tmp: tmp3, dest: join(dir, 'short.db'), size: p1.length + 1, sha256: undefined };
    await pool.write('p', b1.entry, b1.stored, [{ part: short, position: 0 }]);
    pool.forget(short.file);
    await pool.finish(short).then(
      () => assert.fail('a file shorter than recorded must be refused'),
      (e) => assert.ok(isRempartError(e, 'DATA_CORRUPT'), String(e)),
    );
    await assert.rejects(fsp.stat(short.dest), { code: 'ENOENT' });
    await pool.finish({ ...short, size: p1.length });
    assert.ok((await fsp.readFile(short.dest)).equals(p1));
  });

  test(`${how}: closing the pool leaves no descriptor open (files written in parts, never finished)`, { skip: process.platform !== 'linux' }, async () => {
    // the descriptors open now; a test before this one may still be closing some of its own (under load), so what is
    // compared is the set of descriptors that appeared during this test, given a moment to go
    const fds = async () => new Set(await fsp.readdir('/proc/self/fd'));
    const appeared = async (before: Set<string>) => {
      let left: string[] = [];
      for (let i = 0; i < 40; i++) {
        left = [...(await fds())].filter((fd) => !before.has(fd));
        if (left.length === 0) break;
        await new Promise((wake) => setTimeout(wake, 50));
      }
      return left;
    };
    const dir = await fsp.mkdtemp(join(tmpdir(), 'rempart-decode-fd-'));
    cleanups.push(() => fsp.rm(dir, { recursive: true, force: true }));
    const before = await fds();
    const store = await tempLocalStore();
    const pool = new DecodePool(idKey, new PackReader(store.store, '', idKey), workers);
    for (let i = 0; i < 5; i++) {
      const tmp = join(dir, `.rempart-${i}.tmp`);
      closeSync(openSync(tmp, 'wx', 0o600));
      const b = blob(Buffer.from(`partie ${i} `.repeat(1000)));
      const part = { file: i, tmp, dest: join(dir, `f${i}`), size: 2 * b.entry.rawLength, mode: 0o644, mtimeMs: 0, existing: false, path: `f${i}` };
      assert.deepEqual(await pool.write('p', b.entry, b.stored, [{ part, position: 0 }]), [{ ok: true }]); // never finished
    }
    await pool.close();
    await store.cleanup();
    assert.deepEqual(await appeared(before), [], 'the descriptors a worker kept go with it');
  });
}

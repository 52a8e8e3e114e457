/**
 * The one conformance suite every BlobStore passes against a real backend (restic's backend test suite, Kopia's
 * VerifyStorage). Backend-neutral: it only uses the BlobStore port. Call it at the top level of a test file:
 *   runBlobStoreSuite('local folder', async () => ({ store, cleanup }));
 * One store is made for the whole suite; every test uses its own paths.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { isExists, isNotFound, type BlobStore } from './blob-store.js';

export interface BlobStoreSuiteQuirks {
  /** The store does not check `sha256` itself (it then must still store the data unchanged). */
  noSha256Check?: boolean;
  /** Odd names to round-trip instead of the default set (a backend that cannot hold some of them). */
  oddNames?: string[];
  /** Size of the streamed-write test (default 10 MB). */
  bigFileBytes?: number;
}

export interface BlobStoreSuiteOptions {
  quirks?: BlobStoreSuiteQuirks;
  /** Per-test timeout in ms (default 60 s). */
  timeout?: number;
}

export type MakeStore = () => Promise<{ store: BlobStore; cleanup(): Promise<void> }>;

export const DEFAULT_ODD_NAMES = [
  'odd/with space.bin',
  'odd/plus+and&amp=eq,comma;semi.bin',
  'odd/percent%20hash#tilde~.bin',
  "odd/quote'paren(1)[2]{3}!$@.bin",
  'odd/UPPER-lower_123.BIN',
  'odd/.dotfile',
  `odd/${'x'.repeat(200)}.pack`,
  'odd/a/b/c/d/e/f/g/h/deep.bin',
];

/** Deterministic pseudo-random bytes (xorshift), so failures are reproducible and data does not compress. */
export function testBytes(size: number, seed = 1): Buffer {
  const buf = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buf[i] = x & 0xff;
  }
  return buf;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A Readable over `buf` in `chunk`-sized pieces, optionally waiting `delayMs` between pieces. */
export function chunkedReadable(buf: Buffer, chunk = 64 * 1024, delayMs = 0): Readable {
  let off = 0;
  return new Readable({
    read() {
      const push = () => {
        if (off >= buf.length) return this.push(null);
        const piece = buf.subarray(off, off + chunk);
        off += piece.length;
        this.push(piece);
      };
      if (delayMs > 0) setTimeout(push, delayMs);
      else push();
    },
  });
}

async function readAll(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(parts);
}

export function runBlobStoreSuite(name: string, makeStore: MakeStore, opts: BlobStoreSuiteOptions = {}): void {
  const q = opts.quirks ?? {};
  const timeout = opts.timeout ?? 60_000;
  describe(`BlobStore conformance: ${name}`, { timeout }, () => {
    let made: Awaited<ReturnType<MakeStore>> | undefined;
    const s = (): BlobStore => {
      if (!made) throw new Error('store not created');
      return made.store;
    };
    before(async () => {
      made = await makeStore();
    });
    after(async () => {
      await made?.store.close();
      await made?.cleanup();
    });

    test('write, read, stat round-trip; location is set', async () => {
      const data = testBytes(5000, 2);
      await s().write('rt/one.bin', data, data.length);
      assert.deepEqual(await s().read('rt/one.bin'), data);
      assert.deepEqual(await s().stat('rt/one.bin'), { path: 'rt/one.bin', size: 5000 });
      assert.equal(await s().stat('rt/missing.bin'), null);
      assert.ok(s().location.length > 0);
    });

    test('list is recursive, returns repository paths and sizes, and a missing dir is []', async () => {
      const files = { 'ls/aa/1.pack': 10, 'ls/aa/2.pack': 20, 'ls/bb/3.pack': 0, 'ls/top.json': 7 };
      for (const [p, n] of Object.entries(files)) await s().write(p, testBytes(n, n + 3), n);
      await s().write('lsx/other.bin', testBytes(3), 3);
      const got = (await s().list('ls')).sort((a, b) => a.path.localeCompare(b.path));
      assert.deepEqual(got, Object.entries(files).map(([path, size]) => ({ path, size })).sort((a, b) => a.path.localeCompare(b.path)));
      assert.deepEqual((await s().list('ls/aa')).map((f) => f.path).sort(), ['ls/aa/1.pack', 'ls/aa/2.pack']);
      assert.deepEqual(await s().list('no-such-dir'), []);
      assert.deepEqual(await s().list('ls/no/such/dir'), []);
    });

    test('remove deletes; removing a missing file is not an error', async () => {
      await s().write('rm/a.bin', Buffer.from('abc'), 3);
      await s().remove('rm/a.bin');
      assert.equal(await s().stat('rm/a.bin'), null);
      await assert.rejects(s().read('rm/a.bin'), isNotFound);
      await s().remove('rm/a.bin');
      await s().remove('rm/never/existed.bin');
      assert.deepEqual(await s().list('rm'), []);
    });

    test('byte ranges with read and openRead', async () => {
      const data = testBytes(100_000, 4);
      await s().write('range/r.bin', data, data.length);
      assert.deepEqual(await s().read('range/r.bin', { start: 10, end: 19 }), data.subarray(10, 20));
      assert.deepEqual(await s().read('range/r.bin', { start: 99_990 }), data.subarray(99_990));
      assert.deepEqual(await s().read('range/r.bin', { start: 0, end: 0 }), data.subarray(0, 1));
      assert.deepEqual(await readAll(await s().openRead('range/r.bin', { start: 65_000, end: 99_999 })), data.subarray(65_000));
      assert.deepEqual(await readAll(await s().openRead('range/r.bin', { start: 7, end: 70_006 })), data.subarray(7, 70_007));
      assert.deepEqual(await readAll(await s().openRead('range/r.bin')), data);
    });

    test('empty file', async () => {
      await s().write('empty/e.bin', Buffer.alloc(0), 0);
      assert.equal((await s().read('empty/e.bin')).length, 0);
      assert.deepEqual(await s().stat('empty/e.bin'), { path: 'empty/e.bin', size: 0 });
      assert.equal((await readAll(await s().openRead('empty/e.bin'))).length, 0);
      assert.deepEqual(await s().list('empty'), [{ path: 'empty/e.bin', size: 0 }]);
    });

    test('overwrite:false refuses and keeps the original; overwrite:true replaces', async () => {
      const a = Buffer.from('original content');
      const b = Buffer.from('replacement!');
      await s().write('ow/f.bin', a, a.length);
      await assert.rejects(s().write('ow/f.bin', b, b.length), isExists);
      await assert.rejects(s().write('ow/f.bin', b, b.length, { overwrite: false }), isExists);
      await assert.rejects(s().write('ow/f.bin', () => Readable.from([b]), b.length), isExists);
      assert.deepEqual(await s().read('ow/f.bin'), a);
      await s().write('ow/f.bin', b, b.length, { overwrite: true });
      assert.deepEqual(await s().read('ow/f.bin'), b);
      assert.deepEqual(await s().list('ow'), [{ path: 'ow/f.bin', size: b.length }]);
    });

    test('streamed write from a () => Readable, with sha256 and progress', async () => {
      const size = q.bigFileBytes ?? 10 * 1024 * 1024;
      const data = testBytes(size, 5);
      let calls = 0;
      let last = 0;
      const progress: number[] = [];
      await s().write('big/10mb.pack', () => (calls++, chunkedReadable(data, 64 * 1024)), size, {
        sha256: sha(data),
        onProgress: (n) => {
          assert.ok(n >= last, 'progress never goes backwards');
          last = n;
          progress.push(n);
        },
      });
      assert.ok(calls >= 1);
      assert.equal(last, size, 'last progress report is the full size');
      assert.equal(sha(await readAll(await s().openRead('big/10mb.pack'))), sha(data));
      assert.deepEqual(await s().stat('big/10mb.pack'), { path: 'big/10mb.pack', size });
      const plain = testBytes(300_000, 6);
      await s().write('big/from-readable.bin', chunkedReadable(plain, 10_000), plain.length);
      assert.deepEqual(await s().read('big/from-readable.bin'), plain);
    });

    test('size mismatch (short or long source) is rejected and leaves nothing under the final path', async () => {
      const data = testBytes(50_000, 7);
      await assert.rejects(s().write('sz/short.bin', data.subarray(0, 49_999), 50_000));
      await assert.rejects(s().write('sz/short2.bin', () => chunkedReadable(data.subarray(0, 30_000)), 50_000));
      await assert.rejects(s().write('sz/long.bin', data, 49_000));
      await assert.rejects(s().write('sz/long2.bin', chunkedReadable(data, 4096), 20_000));
      for (const p of ['sz/short.bin', 'sz/short2.bin', 'sz/long.bin', 'sz/long2.bin']) assert.equal(await s().stat(p), null, p);
      assert.deepEqual(await s().list('sz'), []);
      await s().write('sz/ok.bin', data, data.length);
      assert.deepEqual(await s().list('sz'), [{ path: 'sz/ok.bin', size: 50_000 }]);
    });

    test('sha256 mismatch of a streamed source is rejected and leaves nothing', { skip: q.noSha256Check ? 'store does not check sha256' : false }, async () => {
      for (const size of [1000, 300_000]) {
        const data = testBytes(size, 8);
        await assert.rejects(s().write('sha/bad.bin', () => chunkedReadable(data, 64 * 1024), data.length, { sha256: sha(Buffer.from('other')) }));
        assert.equal(await s().stat('sha/bad.bin'), null);
        await s().write('sha/good.bin', () => chunkedReadable(data, 64 * 1024), data.length, { sha256: sha(data) });
        assert.deepEqual(await s().read('sha/good.bin'), data);
        await s().remove('sha/good.bin');
      }
      // a buffer with its sha256 (a sealed pack): stored unchanged, whether or not the store hashes it again
      const data = testBytes(300_000, 9);
      await s().write('sha/buf.bin', data, data.length, { sha256: sha(data) });
      assert.equal(sha(await s().read('sha/buf.bin')), sha(data));
      await s().remove('sha/buf.bin');
      assert.deepEqual(await s().list('sha'), []);
    });

    test('concurrent writes to different paths', async () => {
      const items = Array.from({ length: 8 }, (_, i) => ({ path: `conc/p${i}.bin`, data: testBytes(200_000 + i, 10 + i) }));
      await Promise.all(items.map((it) => s().write(it.path, () => chunkedReadable(it.data, 32 * 1024), it.data.length)));
      for (const it of items) assert.equal(sha(await s().read(it.path)), sha(it.data), it.path);
      assert.equal((await s().list('conc')).length, items.length);
    });

    test('odd but valid names round-trip', async () => {
      const names = q.oddNames ?? DEFAULT_ODD_NAMES;
      for (const [i, p] of names.entries()) {
        const data = testBytes(100 + i, 20 + i);
        await s().write(p, data, data.length);
        assert.deepEqual(await s().read(p), data, p);
        assert.deepEqual(await s().stat(p), { path: p, size: data.length }, p);
      }
      const listed = (await s().list('odd')).map((f) => f.path).sort();
      assert.deepEqual(listed, [...names].sort());
    });

    test('missing files: read and openRead fail with not-found, stat is null', async () => {
      await assert.rejects(s().read('nf/none.bin'), isNotFound);
      await assert.rejects(s().openRead('nf/none.bin'), isNotFound);
      await assert.rejects(s().read('nf/deeper/none.bin', { start: 0, end: 3 }), isNotFound);
      assert.equal(await s().stat('nf/none.bin'), null);
    });

    test('an abort signal is honoured and leaves nothing', async () => {
      const data = testBytes(2 * 1024 * 1024, 30);
      const pre = AbortSignal.abort();
      await assert.rejects(s().write('ab/pre.bin', data, data.length, { signal: pre }));
      await assert.rejects(s().read('rt-missing-or-not.bin', { signal: pre }));
      const ctl = new AbortController();
      const slow = () => chunkedReadable(data, 16 * 1024, 20);
      const started = Date.now();
      const p = s().write('ab/mid.bin', slow, data.length, {
        signal: ctl.signal,
        onProgress: (n) => n >= 64 * 1024 && ctl.abort(new Error('user cancelled')),
      });
      await assert.rejects(p);
      assert.ok(Date.now() - started < 5000, 'abort takes effect promptly, not after the whole slow upload');
      assert.equal(await s().stat('ab/pre.bin'), null);
      assert.equal(await s().stat('ab/mid.bin'), null);
      assert.deepEqual(await s().list('ab'), []);
    });

    test('space() gives numbers or nulls, free <= total', async () => {
      const sp = await s().space();
      for (const v of [sp.free, sp.total]) assert.ok(v === null || (Number.isFinite(v) && v >= 0));
      if (sp.free !== null && sp.total !== null) assert.ok(sp.free <= sp.total);
    });
  });
}

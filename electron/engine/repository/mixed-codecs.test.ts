/**
 * A repository whose packs mix raw, brotli and zstd blobs (written by Node 20 and by the app's Node 24 over the years)
 * reads, streams and checks on this runtime: zstd through node:zlib where it exists, else through the pure-JS decoder
 * (the decode pool's workers hand those blobs to the main thread). A damaged zstd blob is DATA_CORRUPT.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { isRempartError } from '../base/errors.js';
import { hasNativeZstd } from '../content/compression.js';
import { requireTools } from '../../../test-support/tools.js';
import { entryName, parseEntryName } from './pack-builder.js';
import { newTestRepo, summary, type TestRepo } from './test-fixtures.js';
import type { Codec, ManifestEntry } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function zstdEncode(plain: Buffer): Buffer {
  const z = zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer };
  if (hasNativeZstd() && z.zstdCompressSync) return z.zstdCompressSync(plain);
  return execFileSync('zstd', ['-1', '-c', '-q'], { input: plain });
}

function text(n: number, tag: string): Buffer {
  const line = `${tag};Facture n° ${n};client Dupré;montant TTC 1 234,56 €;réglé\n`;
  return Buffer.from(line.repeat(Math.ceil(30_000 / line.length)).slice(0, 20_000 + n * 97));
}

test('entry names: ".zst" is zstd, ".br" brotli, ".raw" raw', () => {
  const id = 'ab'.repeat(32);
  assert.equal(entryName(id, 'zstd'), `${id}.zst`);
  assert.deepEqual(parseEntryName(`${id}.zst`), { id, codec: 'zstd' });
  assert.deepEqual(parseEntryName(`${id}.br`), { id, codec: 'brotli' });
  assert.equal(parseEntryName(`${id}.zstd`), null);
});

test('a repository mixing raw, brotli and zstd blobs reads, streams through the decode pool and passes check --read-data', async (t) => {
  if (!hasNativeZstd() && !requireTools(t, ['zstd'])) return;
  const r: TestRepo = await newTestRepo();
  cleanups.push(() => r.cleanup());
  const codecs: Codec[] = ['raw', 'brotli', 'zstd'];
  const blobs: { id: string; plain: Buffer; codec: Codec }[] = [];
  const entries: ManifestEntry[] = [];
  for (let i = 0; i < 30; i++) {
    const codec = codecs[i % 3];
    const plain = text(i, codec);
    const id = r.repo.blobId(plain);
    const data = codec === 'raw' ? plain : codec === 'brotli' ? zlib.brotliCompressSync(plain) : zstdEncode(plain);
    await r.repo.addBlob(id, { codec, data, rawLength: plain.length });
    blobs.push({ id, plain, codec });
    const sha256 = createHash('sha256').update(plain).digest('hex');
    entries.push({ path: `src/${codec}-${i}.txt`, type: 'file', size: plain.length, mtime: '2026-11-24T10:00:00.000Z', mode: 0o644, sha256, blobs: [id] });
  }
  const snap = await r.repo.saveSnapshot({ host: 'h', sources: [{ label: 'src', path: '/tmp/src' }], tags: [], summary: summary(entries.length), entries });
  assert.equal(snap.packs.length, 1, 'all three codecs share one pack');

  for (const b of blobs) {
    assert.equal(r.repo.locate(b.id)?.entry.codec, b.codec);
    assert.ok((await r.repo.readBlob(b.id)).equals(b.plain), `readBlob ${b.codec}`);
  }
  // The streaming read path of restore and check: every blob of the pack through the worker pool.
  const decoder = r.repo.newDecoder();
  try {
    const seen = new Map<string, Buffer>();
    const packId = snap.packs[0];
    const inPack = blobs.map((b) => r.repo.locate(b.id)!.entry);
    const pending: Promise<void>[] = [];
    await r.repo.streamPack(packId, inPack, (entry, stored) => {
      pending.push(decoder.verify(packId, entry, stored).then((plain) => void seen.set(entry.id, Buffer.from(plain))));
    });
    await Promise.all(pending);
    for (const b of blobs) assert.ok(seen.get(b.id)?.equals(b.plain), `decode pool ${b.codec}`);
    // A damaged zstd blob is refused (DATA_CORRUPT), through the pool as through the reader.
    const z = blobs.find((b) => b.codec === 'zstd')!;
    const entry = r.repo.locate(z.id)!.entry;
    const bad = zstdEncode(Buffer.concat([z.plain.subarray(0, 100), Buffer.from('X'), z.plain.subarray(101)]));
    const corrupt = (e: unknown) => isRempartError(e, 'DATA_CORRUPT');
    await assert.rejects(decoder.verify(packId, { ...entry, length: bad.length }, bad), corrupt);
    await assert.rejects(decoder.verify(packId, entry, Buffer.from('not a zstd frame at all')), corrupt);
    await assert.rejects(r.repo.verifyBlob(packId, { ...entry, length: bad.length }, bad), corrupt);
  } finally {
    await decoder.close();
  }
  const report = await r.repo.check({ readData: true });
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { isRempartError } from '../base/errors.js';
import { compressBlob, decompressBlob, hasNativeZstd, looksCompressible, preferredCodec, PROBE_FROM, sampleEntropy, worthCompressing, zstdReleasesContexts } from './compression.js';

const text = Buffer.from('Facture n° 2026-0042 — client Dupont, café du Marché; montant TTC 1 234,56 €; TVA 20 %.\n'.repeat(3000));
const jpegLike = zlib.deflateRawSync(randomBytes(200_000)); // already-compressed data

test('entropy probe: text compressible, random and already-compressed data not', () => {
  assert.ok(sampleEntropy(text) < 6);
  assert.ok(sampleEntropy(randomBytes(1 << 20)) > 7.9);
  assert.ok(looksCompressible(text));
  assert.ok(!looksCompressible(randomBytes(100_000)));
  assert.ok(!looksCompressible(jpegLike));
  assert.ok(!looksCompressible(Buffer.from('short')));
  assert.equal(sampleEntropy(Buffer.alloc(0)), 0);
  assert.equal(sampleEntropy(Buffer.alloc(10_000)), 0);
});

test('zstd tries small blobs without the probe; large ones and every brotli blob are probed', () => {
  const smallNoise = randomBytes(PROBE_FROM - 1);
  assert.ok(worthCompressing(smallNoise, 'zstd'), 'below PROBE_FROM zstd just tries');
  assert.ok(!worthCompressing(smallNoise, 'brotli'), 'brotli probes every size');
  assert.ok(!worthCompressing(randomBytes(PROBE_FROM), 'zstd'), 'from PROBE_FROM zstd probes');
  assert.ok(worthCompressing(text, 'zstd') && worthCompressing(text, 'brotli'));
  assert.ok(!worthCompressing(Buffer.from('short'), 'zstd'), 'tiny blobs are stored raw');
});

test('compressible data is stored with the runtime\'s codec (zstd if native, else brotli) and round-trips; incompressible data is stored raw', async () => {
  assert.equal(preferredCodec(), hasNativeZstd() && zstdReleasesContexts() ? 'zstd' : 'brotli');
  const t = await compressBlob(text);
  assert.equal(t.codec, preferredCodec());
  assert.ok(t.data.length < text.length / 10);
  assert.deepEqual(await decompressBlob(t.codec, t.data, text.length), text);
  for (const data of [randomBytes(50_000), jpegLike, Buffer.from('tiny'), Buffer.alloc(0)]) {
    const r = await compressBlob(data);
    assert.equal(r.codec, 'raw');
    assert.equal(r.data, data);
    assert.deepEqual(await decompressBlob('raw', r.data, data.length), data);
  }
  // Passes the probe (text sample) but the bulk is random: compressed, does not shrink enough, kept raw.
  const mixed = Buffer.concat([text.subarray(0, 900), randomBytes(3000)]);
  const m = await compressBlob(mixed);
  assert.equal(m.codec, 'raw');
});

test('zeros compress; many blobs in flight at once all round-trip', async () => {
  const zeros = await compressBlob(Buffer.alloc(1 << 20));
  assert.equal(zeros.codec, preferredCodec());
  const blobs = Array.from({ length: 16 }, (_, i) => Buffer.concat([text.subarray(i * 100, i * 100 + 20_000), Buffer.from([i])]));
  const compressed = await Promise.all(blobs.map((b) => compressBlob(b)));
  const restored = await Promise.all(compressed.map((c, i) => decompressBlob(c.codec, c.data, blobs[i].length)));
  assert.deepEqual(restored, blobs);
});

test('unknown codec, corrupt stream, wrong length, decompression bomb: DATA_CORRUPT', async () => {
  const t = { codec: 'brotli', data: zlib.brotliCompressSync(text) };
  const isCorrupt = (e: unknown) => isRempartError(e, 'DATA_CORRUPT');
  await assert.rejects(decompressBlob('lz4', t.data, text.length), isCorrupt);
  await assert.rejects(decompressBlob('zstd', t.data, text.length), isCorrupt);
  await assert.rejects(decompressBlob('brotli', t.data, text.length - 1), isCorrupt);
  await assert.rejects(decompressBlob('brotli', t.data, text.length + 1), isCorrupt);
  await assert.rejects(decompressBlob('brotli', t.data.subarray(0, t.data.length - 5), text.length), isCorrupt);
  const flipped = Buffer.from(t.data);
  flipped[Math.floor(flipped.length / 2)] ^= 0xff;
  // Brotli carries no checksum: a flipped byte either fails to decode or decodes to other bytes. (Packs are authenticated by
  // age, and every blob is checked against its keyed id after decompression.)
  const decoded = await decompressBlob('brotli', flipped, text.length).catch((e: unknown) => (isCorrupt(e) ? null : e));
  assert.ok(decoded === null || (Buffer.isBuffer(decoded) && !decoded.equals(text)));
  await assert.rejects(decompressBlob('raw', Buffer.alloc(10), 11), isCorrupt);
  const bomb = zlib.brotliCompressSync(Buffer.alloc(64 << 20));
  await assert.rejects(decompressBlob('brotli', bomb, 1000), isCorrupt);
});

test('zstd is written only by runtimes whose zlib frees zstd contexts on close (Node >= 24.15, >= 26)', () => {
  for (const v of ['20.20.2', '22.15.0', '23.8.0', '24.11.1', '24.14.0', '25.2.0']) assert.equal(zstdReleasesContexts(v), false, v);
  for (const v of ['24.15.0', '24.18.1', '24.19.0', '26.0.0', '26.10.0']) assert.equal(zstdReleasesContexts(v), true, v);
});

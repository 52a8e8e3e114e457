import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CompressPool } from './compress-pool.js';
import { compressBlob, decompressBlob } from '../content/compression.js';

test('compression pool: same codec decisions as the content layer, and the blobs decompress to the input', async () => {
  const pool = new CompressPool(2);
  try {
    const big = Buffer.alloc(4 * 1024 * 1024);
    const text = Buffer.from('facture n° 123, client Dupont, total 45,00 €\n'.repeat(3000));
    text.copy(big, 1000);
    const inputs = [text, randomBytes(200_000), Buffer.alloc(10), big.subarray(1000, 1000 + text.length)];
    for (const plain of inputs) {
      const [a, b] = [await pool.compress(plain), await compressBlob(plain)];
      assert.equal(a.codec, b.codec);
      assert.equal(a.rawLength, plain.length);
      assert.ok((await decompressBlob(a.codec, a.data, plain.length)).equals(plain));
      assert.ok(a.data.equals((await pool.compress(plain)).data), "deterministic");
    }
  } finally {
    await pool.close();
  }
});

test('compression pool: the worker probe decides like the content layer on text, noise, mixes and every size', async () => {
  const pool = new CompressPool(1);
  try {
    const inputs: Buffer[] = [];
    for (const size of [63, 64, 100, 1000, 4096, 4097, 16_384, 70_000, 300_000]) {
      const text = Buffer.from('x;Élodie Martin;café;12,50 €\n'.repeat(Math.ceil(size / 20))).subarray(0, size);
      const noise = randomBytes(size);
      const half = Buffer.concat([text.subarray(0, size >> 1), noise.subarray(0, size - (size >> 1))]);
      const zeros = Buffer.alloc(size);
      inputs.push(text, noise, half, zeros);
    }
    // many at once: they travel in batches
    const got = await Promise.all(inputs.map((p) => pool.compress(p)));
    for (const [i, plain] of inputs.entries()) {
      const want = await compressBlob(plain);
      assert.equal(got[i].codec, want.codec, `input ${i} (${plain.length} bytes)`);
      assert.ok((await decompressBlob(got[i].codec, got[i].data, plain.length)).equals(plain));
    }
  } finally {
    await pool.close();
  }
});

test('compression pool: the input is read before compress() returns, so the caller may reuse its buffer at once', async () => {
  const pool = new CompressPool(1);
  try {
    const reader = Buffer.alloc(1024 * 1024);
    const texts = Array.from({ length: 40 }, (_, i) => Buffer.from(`ligne ${i} : Élodie Martin, 12,50 €\n`.repeat(500 + i)));
    const pending = texts.map((t) => {
      t.copy(reader, 0);
      const p = pool.compress(reader.subarray(0, t.length));
      reader.fill(0xee); // the next read overwrites the buffer before the blob is compressed
      return p;
    });
    const got = await Promise.all(pending);
    for (const [i, t] of texts.entries()) assert.ok((await decompressBlob(got[i].codec, got[i].data, t.length)).equals(t), `chunk ${i}`);
  } finally {
    await pool.close();
  }
});

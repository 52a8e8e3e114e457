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
      assert.ok(a.data.buffer.byteLength <= Math.max(a.data.length * 2, 8192), 'never pins a larger buffer');
    }
  } finally {
    await pool.close();
  }
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CompressPool } from './compress-pool.js';
import { compressBlob, decompressBlob } from '../content/compression.js';
import { releaseSealThread, setSealThreadForTests } from '../repository/seal-worker.js';

after(() => releaseSealThread());

/** Where batches go: the seal thread (the default), the pool's own workers, or no thread at all (compressed here). */
const VARIANTS = [
  { name: 'on the seal thread', make: (n: number) => new CompressPool(n) },
  { name: 'on workers of its own', make: (n: number) => new CompressPool(n, { sealThread: false }) },
  { name: 'with no thread (here)', make: () => new CompressPool(0, { sealThread: false }) },
];

for (const v of VARIANTS) {
  test(`compression pool ${v.name}: same codec decisions as the content layer, and the blobs decompress to the input`, async () => {
    const pool = v.make(2);
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
}

for (const v of VARIANTS) {
  test(`compression pool ${v.name}: the worker probe decides like the content layer on text, noise, mixes and every size`, async () => {
    const pool = v.make(1);
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
}

for (const v of VARIANTS) {
  test(`compression pool ${v.name}: the input is read before compress() returns, so the caller may reuse its buffer at once`, async () => {
    const pool = v.make(1);
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
}

test('compression pool: a batch buffer is refilled only once every blob of it is released, and then it is reused', async () => {
  const pool = new CompressPool(1);
  try {
    // ~60 KB each: every batch below is over SMALL_BATCH (128 KiB), so it travels in a 1 MiB batch buffer
    const text = (i: number) => Buffer.from(`facture ${i} ; Élodie Martin ; 12,50 €\n`.repeat(1500 + i));
    // submitted in one tick: one batch
    const [a1, a2, a3] = await Promise.all([pool.compress(text(1)), pool.compress(text(2)), pool.compress(text(3))]);
    a3.release();
    assert.equal(a1.data.buffer, a2.data.buffer, 'same batch buffer');
    const kept = Buffer.from(a2.data);
    a1.release();
    a1.release(); // twice counts once
    const before = pool.buffersAllocated;
    for (let round = 0; round < 20; round++) {
      const more = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.compress(text(100 + round * 8 + i))));
      for (const [i, b] of more.entries()) {
        assert.ok((await decompressBlob(b.codec, b.data, text(100 + round * 8 + i).length)).equals(text(100 + round * 8 + i)));
        b.release();
      }
    }
    // a refilled buffer would have moved to the worker (a2's view detached) and received other chunks
    assert.ok(a2.data.equals(kept), 'the unreleased blob is intact');
    assert.ok((await decompressBlob(a2.codec, a2.data, text(2).length)).equals(text(2)));
    assert.equal(pool.buffersAllocated - before, 1, 'released batches are filled again: one new buffer served 20 batches');
    a2.release();
    for (let round = 0; round < 5; round++) (await pool.compress(text(500 + round))).release();
    assert.equal(pool.buffersAllocated - before, 1);
    // a batch that leaves small (the caller yielded after one chunk) travels in a copy of its size: the 1 MiB buffer
    // stays to be filled again, even while that blob is held
    const held = await pool.compress(text(600));
    assert.ok(held.data.buffer.byteLength < 128 * 1024, 'a small batch in a buffer of its size');
    for (let round = 0; round < 5; round++) (await pool.compress(text(700 + round))).release();
    assert.equal(pool.buffersAllocated - before, 1);
    held.release();
  } finally {
    await pool.close();
  }
});

test('compression pool: batches go to the seal thread first, then to workers of the pool\'s own, else are compressed here', async () => {
  const expect = [
    [new CompressPool(1), { sealThread: true, own: 0 }], // two cores: the engine's thread and the seal thread, nothing more
    [new CompressPool(3), { sealThread: true, own: 2 }],
    [new CompressPool(2, { sealThread: false }), { sealThread: false, own: 2 }],
    [new CompressPool(0, { sealThread: false }), { sealThread: false, own: 0 }],
  ] as const;
  for (const [pool, want] of expect) {
    try {
      const text = Buffer.from('facture ; Élodie Martin ; 12,50 €\n'.repeat(400));
      const blob = await pool.compress(text);
      assert.ok((await decompressBlob(blob.codec, blob.data, text.length)).equals(text));
      assert.deepEqual(await pool.threadsInUse(), want);
    } finally {
      await pool.close();
    }
  }
});

test('compression pool: where the seal thread does not answer its probe, a worker of the pool\'s own compresses', async () => {
  await releaseSealThread(); // the next thread is a silent one
  setSealThreadForTests("require('node:worker_threads').parentPort.on('message', () => undefined);", 300);
  const pool = new CompressPool(1);
  try {
    const text = Buffer.from('facture ; Élodie Martin ; 12,50 €\n'.repeat(400));
    const blob = await pool.compress(text);
    assert.equal(blob.codec, (await compressBlob(text)).codec);
    assert.ok((await decompressBlob(blob.codec, blob.data, text.length)).equals(text));
    assert.deepEqual(await pool.threadsInUse(), { sealThread: false, own: 1 });
  } finally {
    setSealThreadForTests(null);
    await pool.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Chunker, chunkLengths, chunkParamsForSize, chunkStream, CHUNK_PROFILES, GEAR, masksFor, SINGLE_BLOB_MAX, SMALL_CHUNKS_FROM, type ChunkParams } from './chunker.js';

const PROFILES = [CHUNK_PROFILES.medium, CHUNK_PROFILES.large, { minSize: 2048, avgSize: 8192, maxSize: 32768 }];

/** Straightforward byte-at-a-time FastCDC (the documented algorithm), against which the unrolled chunker is checked. */
function referenceLengths(buf: Buffer, p: ChunkParams): number[] {
  const { small, large } = masksFor(p);
  const out: number[] = [];
  for (let s = 0; s < buf.length; ) {
    const n = buf.length - s;
    let len = Math.min(n, p.maxSize);
    if (n > p.minSize) {
      let h = 0;
      for (let i = s + Math.max(0, p.minSize - 32); i < s + len; i++) {
        h = ((h << 1) + GEAR[buf[i]]) | 0;
        const pos = i + 1 - s;
        if (pos > p.minSize && (h & (pos <= p.avgSize ? small : large)) === 0) {
          len = pos;
          break;
        }
      }
    }
    out.push(len);
    s += len;
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

test('gear table is pinned (part of the repository format) and follows its documented derivation', () => {
  const table = Buffer.alloc(1024);
  GEAR.forEach((v, i) => table.writeInt32BE(v, i * 4));
  assert.equal(createHash('sha256').update(table).digest('hex'), '7a8b778f0b25d7551ebaf1e1f63885f68d6030e735e183e60a9f848904c63d29');
  for (const b of [0, 1, 128, 255]) {
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from('rempart/v1/gear', 'ascii'), Buffer.from([b])])).digest().readInt32BE(0);
    assert.equal(GEAR[b], expected);
  }
  // On zeros the hash converges to -gear[0]; it must match no mask (zero runs are cut at maxSize).
  const steady = -GEAR[0] | 0;
  for (const p of PROFILES) assert.ok((steady & masksFor(p).large) !== 0 && (steady & masksFor(p).small) !== 0);
});

test('unrolled chunker equals the byte-at-a-time reference; sizes within [min, max]', () => {
  const data = randomBytes(6 * 1024 * 1024);
  for (const p of PROFILES) {
    const lens = chunkLengths(data, p);
    assert.deepEqual(lens, referenceLengths(data, p));
    assert.equal(lens.reduce((a, b) => a + b, 0), data.length);
    for (const l of lens.slice(0, -1)) assert.ok(l >= p.minSize && l <= p.maxSize, `${l} outside [${p.minSize}, ${p.maxSize}]`);
    const avg = data.length / lens.length;
    assert.ok(avg > p.minSize && avg < (p.avgSize + p.maxSize) / 2, `average ${avg} for ${JSON.stringify(p)}`);
  }
});

test('all-zero data is cut at maxSize (not at every minSize, not never)', () => {
  for (const p of PROFILES) {
    const lens = chunkLengths(Buffer.alloc(10 * p.maxSize + 5), p);
    assert.deepEqual(lens, [...Array(10).fill(p.maxSize), 5]);
  }
  // Zeros inside real data: the chunks after a zero run are the same as without it being resynchronized.
  const p = CHUNK_PROFILES.large;
  const lens = chunkLengths(Buffer.concat([randomBytes(300_000), Buffer.alloc(1_000_000), randomBytes(300_000)]), p);
  assert.ok(lens.filter((l) => l === p.maxSize).length >= 14);
});

test('streaming Chunker and chunkStream give the same chunks whatever the push sizes', async () => {
  const data = randomBytes(3 * 1024 * 1024 + 777);
  for (const p of PROFILES) {
    const expected = chunkLengths(data, p);
    for (const piece of [1000, 65536, p.maxSize, p.maxSize + 1, 1 << 20, data.length]) {
      const chunker = new Chunker(p);
      const got: Buffer[] = [];
      for (let i = 0; i < data.length; i += piece) got.push(...chunker.push(data.subarray(i, i + piece)));
      got.push(...chunker.end());
      assert.deepEqual(got.map((c) => c.length), expected, `piece ${piece}`);
      assert.deepEqual(Buffer.concat(got), data);
    }
    const streamed: number[] = [];
    for await (const c of chunkStream(Readable.from([data.subarray(0, 12345), data.subarray(12345)]), p)) streamed.push(c.length);
    assert.deepEqual(streamed, expected);
  }
  // Tiny pushes (resumed scans of the undecided tail) give the same cuts too.
  const small = data.subarray(0, 700_000);
  for (const p of PROFILES) {
    const chunker = new Chunker(p);
    const got: number[] = [];
    for (let i = 0; i < small.length; i += 7) got.push(...chunker.push(small.subarray(i, i + 7)).map((c) => c.length));
    got.push(...chunker.end().map((c) => c.length));
    assert.deepEqual(got, chunkLengths(small, p));
  }
  const empty = new Chunker(CHUNK_PROFILES.large);
  assert.deepEqual([...empty.push(Buffer.alloc(0)), ...empty.end()], []);
});

test('tailViews: chunks stay right until more is pushed, with the input buffer reused as a backup reads', () => {
  const data = randomBytes(3 * 1024 * 1024 + 777);
  for (const p of PROFILES) {
    const expected = chunkLengths(data, p);
    for (const piece of [1000, 65536, p.maxSize + 1, 1 << 20]) {
      const chunker = new Chunker(p, { tailViews: true });
      const scratch = Buffer.alloc(piece); // one read buffer, overwritten by every read
      const got: Buffer[] = [];
      const tailBuffers = new Set<ArrayBufferLike>();
      const take = (chunks: Buffer[]) => {
        for (const c of chunks) {
          if (c.buffer !== scratch.buffer) tailBuffers.add(c.buffer);
          got.push(Buffer.from(c)); // a consumer is done with each chunk before feeding more
        }
      };
      for (let i = 0; i < data.length; i += piece) {
        const n = data.copy(scratch, 0, i, i + piece);
        take(chunker.push(scratch.subarray(0, n)));
      }
      take(chunker.end());
      assert.deepEqual(got.map((c) => c.length), expected, `piece ${piece}`);
      assert.ok(Buffer.concat(got).equals(data), `piece ${piece}`);
      // the straddling chunks are views of the chunker's two tail buffers, not a copy each
      assert.ok(tailBuffers.size >= 1 && tailBuffers.size <= 2, `piece ${piece}: ${tailBuffers.size} tail buffers`);
    }
  }
});

test('chunkParamsForSize: small files are one blob, medium and large files get their profiles', () => {
  assert.equal(chunkParamsForSize(0), CHUNK_PROFILES.single);
  assert.equal(chunkParamsForSize(SINGLE_BLOB_MAX), CHUNK_PROFILES.single);
  assert.equal(chunkParamsForSize(SINGLE_BLOB_MAX + 1), CHUNK_PROFILES.medium);
  assert.equal(chunkParamsForSize(SMALL_CHUNKS_FROM), CHUNK_PROFILES.large);
  const small = randomBytes(SINGLE_BLOB_MAX);
  assert.deepEqual(chunkLengths(small, chunkParamsForSize(small.length)), [SINGLE_BLOB_MAX]);
});

test('an insertion near the start changes only the first chunks (shift resistance)', () => {
  const data = randomBytes(4 * 1024 * 1024);
  const p = CHUNK_PROFILES.medium;
  const key = (b: Buffer, lens: number[]) => {
    let off = 0;
    return lens.map((l) => createHash('sha1').update(b.subarray(off, (off += l))).digest('hex'));
  };
  const before = new Set(key(data, chunkLengths(data, p)));
  const edited = Buffer.concat([data.subarray(0, 1000), randomBytes(37), data.subarray(1000)]);
  const after = key(edited, chunkLengths(edited, p));
  assert.ok(after.filter((h) => !before.has(h)).length <= 2);
});

/**
 * The database case: a 32 MiB file of 4 KiB pages (text records, zero-filled free space at page ends); rewrite 1% of the
 * pages at random places. Measured: ~9% of the bytes land in new chunks with the large profile (restic: ~50%).
 */
test('rewriting 1% of the 4 KiB pages of a page file dirties ≤ 12% of its bytes (measured ~9%)', (t) => {
  const PAGE = 4096;
  const size = 32 * 1024 * 1024;
  const pages = size / PAGE;
  const rnd = prng(2026);
  const words = ['facture', 'client', 'TVA', 'montant', 'Dupont', 'caf\xe9', 'r\xe9f', 'total'];
  const fillPage = (buf: Buffer, page: number) => {
    const o = page * PAGE;
    buf.fill(0, o, o + PAGE);
    buf.writeUInt32BE(page, o);
    buf.writeUInt32BE(rnd(), o + 4);
    const end = o + 16 + 400 + (rnd() % (PAGE - 600));
    for (let q = o + 16; q < end; ) {
      const w = `${words[rnd() % words.length]}${rnd() % 10000};`;
      q += buf.write(w, q, Math.min(w.length, end - q), 'latin1');
    }
  };
  const original = Buffer.alloc(size);
  for (let i = 0; i < pages; i++) fillPage(original, i);
  const edited = Buffer.from(original);
  const changed = new Set<number>();
  while (changed.size < pages / 100) changed.add(rnd() % pages);
  for (const page of changed) fillPage(edited, page);

  const p = chunkParamsForSize(400 * 1024 * 1024);
  const ids = (b: Buffer) => {
    let off = 0;
    return chunkLengths(b, p).map((l) => ({ l, id: createHash('sha1').update(b.subarray(off, (off += l))).digest('hex') }));
  };
  const known = new Set(ids(original).map((c) => c.id));
  const dirty = ids(edited).reduce((sum, c) => sum + (known.has(c.id) ? 0 : c.l), 0);
  const fraction = dirty / size;
  t.diagnostic(`dirty: ${(fraction * 100).toFixed(1)}% of the bytes (1% of the pages rewritten)`);
  assert.ok(fraction <= 0.12, `dirty fraction ${(fraction * 100).toFixed(1)}%`);
  assert.ok(fraction >= 0.01, `dirty fraction ${(fraction * 100).toFixed(1)}% is below the real change`);
});

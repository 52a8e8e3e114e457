import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isRempartError } from '../base/errors.js';
import { BlobIndex, openIndex, sealIndex } from './blob-index.js';
import type { Codec, IndexEntry, PackIndexFile } from './types.js';

const CODECS: Codec[] = ['raw', 'brotli', 'zstd'];

function pack(count: number, reuse: IndexEntry[] = []): PackIndexFile {
  const blobs: IndexEntry[] = reuse.map((b) => ({ ...b, offset: b.offset + 7 }));
  for (let i = 0; i < count; i++) {
    blobs.push({ id: randomBytes(32).toString('hex'), codec: CODECS[i % 3], offset: 30 + i * 1000, length: 900 + (i % 50), rawLength: 4096 + i });
  }
  return { pack: { id: randomBytes(32).toString('hex'), size: 16_000_000 + count, sha256: 'x', createdAt: '2026-11-24T10:00:00.000Z' }, blobs };
}

test('blob index: every blob of every pack is found with its pack and entry, through many table resizes', () => {
  const index = new BlobIndex();
  const packs = Array.from({ length: 12 }, () => pack(5000));
  for (const p of packs) index.addPack(p);
  assert.equal(index.size, 60_000);
  assert.equal(index.packs.size, 12);
  for (const p of packs) {
    for (const b of p.blobs) {
      assert.deepEqual(index.get(b.id), { packId: p.pack.id, packSize: p.pack.size, entry: b });
    }
  }
  assert.equal(index.has(randomBytes(32).toString('hex')), false);
  assert.equal(index.get(randomBytes(32).toString('hex')), undefined);
  for (const odd of ['', 'not an id', 'zz'.repeat(32), packs[0].blobs[0].id.slice(0, 62), `${packs[0].blobs[0].id}00`]) {
    assert.equal(index.has(odd), false, `${JSON.stringify(odd)} is no blob id`);
  }
});

test('blob index: the packs view gives each pack file back as added; a blob in two packs is found in the first one', () => {
  const index = new BlobIndex();
  const a = pack(300);
  const b = pack(200, a.blobs.slice(0, 50)); // 50 blobs stored again in b
  index.addPack(a);
  index.addPack(b);
  index.addPack(a); // the same pack twice counts once
  assert.equal(index.size, 500);
  assert.equal(index.packs.size, 2);
  assert.deepEqual(index.packs.get(a.pack.id), a);
  assert.deepEqual(index.packs.get(b.pack.id), b);
  assert.deepEqual([...index.packs.keys()], [a.pack.id, b.pack.id]);
  assert.deepEqual([...index.packs.values()], [a, b]);
  assert.equal(index.get(a.blobs[10].id)!.packId, a.pack.id);
  assert.equal(index.get(b.blobs[60].id)!.packId, b.pack.id);

  // prune drops pack a: the 50 shared blobs now point into b, a's others are gone
  index.removePacks([a.pack.id]);
  assert.equal(index.size, 250);
  assert.equal(index.packs.has(a.pack.id), false);
  assert.deepEqual(index.get(a.blobs[10].id), { packId: b.pack.id, packSize: b.pack.size, entry: b.blobs[10] });
  assert.equal(index.has(a.blobs[100].id), false);
  assert.deepEqual([...index.packs.values()], [b]);
  index.addPack(pack(10)); // still usable after a rebuild
  assert.equal(index.size, 260);
});

test('blob index: an .idx whose entries this format cannot hold is malformed (DATA_CORRUPT), not half-loaded', () => {
  const key = randomBytes(32);
  const good = pack(3);
  assert.deepEqual(openIndex(key, sealIndex(key, good), 'index/x.idx'), good);
  const bad: Partial<IndexEntry>[] = [
    { id: 'ab' },
    { codec: 'lz4' as Codec },
    { offset: -1 },
    { length: 1.5 },
    { rawLength: 2 ** 33 },
  ];
  for (const change of bad) {
    const idx = pack(3);
    Object.assign(idx.blobs[1], change);
    assert.throws(
      () => openIndex(key, sealIndex(key, idx), 'index/x.idx'),
      (err: unknown) => isRempartError(err) && err.code === 'DATA_CORRUPT',
      JSON.stringify(change),
    );
  }
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { zipInMemory } from './pack-zip.js';
import { readZipLayout } from './zip-layout.js';
import { ZipOffsetTracker } from './zip-offsets.js';

function entries(n: number, seed: number): { name: string; data: Buffer }[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${(seed * 1000 + i).toString(16).padStart(64, '0')}.${i % 3 === 0 ? 'raw' : 'zst'}`,
    data: randomBytes(i % 7 === 0 ? 0 : 1 + ((i * 7919 + seed) % 70_000)),
  }));
}

/** Feeds `zip` to a tracker in pieces of random sizes (1 byte to 100 KB). */
function track(zip: Buffer, expected: { name: string; data: Buffer }[], split: () => number): number[] {
  const t = new ZipOffsetTracker();
  t.expect(expected.map((e) => ({ name: e.name, length: e.data.length })));
  for (let at = 0; at < zip.length; ) {
    const n = Math.min(zip.length - at, split());
    t.push(zip.subarray(at, at + n));
    at += n;
  }
  return t.finish();
}

describe('zip offsets of a streamed zip', () => {
  test('match the offsets read from the whole zip, however the bytes are split', async () => {
    for (const [n, seed] of [[1, 1], [2, 2], [40, 3], [300, 4]]) {
      const list = entries(n, seed);
      const zip = await zipInMemory(list);
      const whole = readZipLayout(zip).map((l) => l.dataOffset);
      assert.deepEqual(track(zip, list, () => zip.length), whole);
      assert.deepEqual(track(zip, list, () => 1 + Math.floor(Math.random() * 100_000)), whole);
      assert.deepEqual(track(zip, list, () => 1 + Math.floor(Math.random() * 40)), whole);
    }
  });

  test('a zip that differs from what was added is refused', async () => {
    const list = entries(5, 9);
    const zip = await zipInMemory(list);
    const wrongName = list.map((e, i) => (i === 3 ? { ...e, name: e.name.replace(/^./, 'f') } : e));
    assert.throws(() => track(zip, wrongName, () => 1000), /entry 3/);
    const wrongSize = list.map((e, i) => (i === 1 ? { ...e, data: e.data.subarray(1) } : e));
    assert.throws(() => track(zip, wrongSize, () => 1000), /declares|signature|does not match/);
    assert.throws(() => track(zip, list.slice(0, 4), () => 1000), /not expected/);
    assert.throws(() => track(zip, [...list, list[0]], () => 1000), /central directory after 5 of 6/);
  });

  test('a zip cut short or followed by bytes is refused', async () => {
    const list = entries(3, 5);
    const zip = await zipInMemory(list);
    assert.throws(() => track(zip.subarray(0, zip.length - 5), list, () => 64), /ended in the end part/);
    assert.throws(() => track(Buffer.concat([zip, Buffer.from('x')]), list, () => 64), /after the end record/);
  });
});

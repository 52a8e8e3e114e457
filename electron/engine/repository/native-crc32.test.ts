import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { useNativeCrc32 } from './native-crc32.js';
import { zipInMemory } from './pack-builder.js';
import { readZipLayout } from './zip-layout.js';

const nativeCrc = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;

test('native CRC-32: archiver zips carry the right CRC of every entry', async (t) => {
  if (typeof nativeCrc !== 'function') return t.skip('zlib.crc32 missing in this runtime');
  assert.equal(useNativeCrc32(), true);
  const entries = [Buffer.alloc(0), Buffer.from('123456789'), randomBytes(300_000), Buffer.alloc(70_000, 7)].map((data, i) => ({ name: `e${i}`, data }));
  const zip = await zipInMemory(entries);
  const layout = readZipLayout(zip);
  assert.equal(layout.length, entries.length);
  for (const [i, e] of layout.entries()) {
    assert.equal(e.crc32, nativeCrc(entries[i].data) >>> 0, `crc of ${e.name}`);
    assert.ok(zip.subarray(e.dataOffset, e.dataOffset + e.size).equals(entries[i].data));
  }
  assert.equal(layout[1].crc32, 0xcbf43926);
});

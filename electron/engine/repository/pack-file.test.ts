import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt, generateIdentity } from '../content/age/index.js';
import { PackFileWriter } from './pack-file.js';
import type { SealEntry } from './pack-seal.js';
import { readZipLayout } from './zip-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'rempart-pack-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Blobs laid side by side in one segment, as the pack writer sends them. */
function segment(sizes: number[], tag: number): { segment: Buffer; entries: SealEntry[]; blobs: Buffer[] } {
  const blobs = sizes.map((s) => randomBytes(s));
  const entries: SealEntry[] = [];
  let at = 0;
  blobs.forEach((b, i) => {
    entries.push({ name: `${(tag * 1000 + i).toString(16).padStart(64, '0')}.raw`, offset: at, length: b.length });
    at += b.length;
  });
  return { segment: Buffer.concat(blobs), entries, blobs };
}

describe('pack file written as blobs arrive', () => {
  test('decrypts to a zip whose entries hold the blobs at the offsets reported; the id is the file hash', async () => {
    const { identity, recipient } = generateIdentity();
    // sizes around the 64 KiB age chunk and a zip that ends exactly on a chunk boundary are covered by the variety
    for (const sizes of [[[5]], [[65_536 - 80], [1]], [[200_000, 3, 65_536], [0, 512 * 1024], [70_000, 70_000, 70_000]]]) {
      const file = join(dir, `p${n++}`);
      const w = await PackFileWriter.create(file, recipient);
      const all: { name: string; blob: Buffer }[] = [];
      for (const [k, s] of sizes.entries()) {
        const seg = segment(s, k);
        await w.append(seg.segment, seg.entries);
        seg.segment.fill(0xee); // the caller may reuse the segment once append resolves
        seg.entries.forEach((e, i) => all.push({ name: e.name, blob: seg.blobs[i] }));
      }
      const r = await w.finish();
      const bytes = readFileSync(file);
      assert.equal(r.size, bytes.length);
      assert.equal(r.sha256, createHash('sha256').update(bytes).digest('hex'));
      const zip = await decrypt(bytes, [{ type: 'x25519', identity }]);
      const layout = readZipLayout(zip);
      assert.deepEqual(layout.map((l) => l.name), all.map((a) => a.name));
      assert.deepEqual(r.dataOffsets, layout.map((l) => l.dataOffset));
      all.forEach((a, i) => assert.ok(zip.subarray(r.dataOffsets[i], r.dataOffsets[i] + a.blob.length).equals(a.blob), a.name));
    }
  });

  test('never writes over an existing file (a full or unplugged drive: see the ENOSPC and FAT32 integration tests)', async () => {
    const { recipient } = generateIdentity();
    const taken = join(dir, 'taken');
    writeFileSync(taken, 'x');
    await assert.rejects(PackFileWriter.create(taken, recipient), { code: 'EEXIST' });
    assert.equal(readFileSync(taken, 'utf8'), 'x');
  });

  test('abort closes the file and fails what waits', async () => {
    const { recipient } = generateIdentity();
    const file = join(dir, `p${n++}`);
    const w = await PackFileWriter.create(file, recipient);
    const seg = segment([10_000], 1);
    await w.append(seg.segment, seg.entries);
    w.abort();
    await assert.rejects(w.append(seg.segment, seg.entries));
    await assert.rejects(w.finish());
  });
});

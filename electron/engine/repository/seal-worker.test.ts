import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { decrypt, generateIdentity } from '../content/age/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openPackFile,
  recyclePackData,
  sealPack,
  sealThreadInUse,
  sealThreadRunning,
  setSealThreadForTests,
  setSealWorkerEnabled,
  type SealEntry,
} from './seal-worker.js';
import { readZipLayout } from './zip-layout.js';
import { holdPackResources } from './pack-builder.js';

after(() => setSealWorkerEnabled(true));

/** Blobs of the given sizes laid side by side, as a PackBuilder stages them. */
function staged(sizes: number[]): { staging: Buffer; entries: SealEntry[]; blobs: Buffer[] } {
  const blobs = sizes.map((n) => randomBytes(n));
  const staging = Buffer.allocUnsafeSlow(sizes.reduce((a, b) => a + b, 0) + 100);
  let at = 0;
  const entries = blobs.map((b, i) => {
    b.copy(staging, at);
    const e = { name: `${createHash('sha256').update(b).digest('hex')}.${i % 2 ? 'raw' : 'zst'}`, offset: at, length: b.length };
    at += b.length;
    return e;
  });
  return { staging, entries, blobs };
}

describe('pack sealing thread (zip with archiver, age encryption, sha256)', () => {
  const { identity, recipient } = generateIdentity();

  for (const threaded of [true, false]) {
    test(`${threaded ? 'worker thread' : 'in-thread fallback'}: an age file holding a zip whose entries sit at the reported offsets`, async () => {
      setSealWorkerEnabled(threaded);
      assert.equal(await sealThreadInUse(), threaded, threaded ? 'the seal thread starts from the source tree (through tsx) and passes its probe' : 'off');
      for (const sizes of [[1], [0, 5, 65536], [70_000, 200_000, 3, 1_000_003], Array.from({ length: 300 }, (_, i) => 100 + i)]) {
        const { staging, entries, blobs } = staged(sizes);
        const out = await sealPack({ staging, entries, recipient });
        assert.equal(out.sha256, createHash('sha256').update(out.data).digest('hex'));
        const zip = await decrypt(out.data, [{ type: 'x25519', identity }]);
        const layout = readZipLayout(zip);
        assert.deepEqual(layout.map((l) => l.name), entries.map((e) => e.name), 'entries in order, named as given');
        blobs.forEach((b, i) => assert.deepEqual(zip.subarray(out.dataOffsets[i], out.dataOffsets[i] + b.length), b, `blob ${i} of ${sizes.length}`));
      }
    });
  }

  for (const threaded of [true, false]) {
    test(`${threaded ? 'worker thread' : 'in-thread fallback'}: a pack written to its file segment by segment, two packs at once`, async () => {
      setSealWorkerEnabled(threaded);
      assert.equal(await sealThreadInUse(), threaded);
      const dir = mkdtempSync(join(tmpdir(), 'rempart-pack-files-'));
      try {
        const packs = await Promise.all(
          [0, 1].map(async (k) => {
            const file = join(dir, `pack${k}`);
            const session = await openPackFile(file, recipient);
            const all: { blob: Buffer; name: string }[] = [];
            let segment: Buffer = Buffer.allocUnsafeSlow(1 << 20);
            for (let round = 0; round < 3; round++) {
              const s = staged([1000 + k, 70_000, 200_000 + round]);
              s.staging.copy(segment, 0, 0, s.staging.length);
              s.entries.forEach((e, i) => all.push({ name: e.name, blob: s.blobs[i] }));
              segment = await session.append(segment, s.entries); // given back to be filled again
              assert.equal(segment.length, 1 << 20);
            }
            return { file, all, result: await session.finish() };
          }),
        );
        for (const { file, all, result } of packs) {
          const bytes = readFileSync(file);
          assert.equal(result.size, bytes.length);
          assert.equal(result.sha256, createHash('sha256').update(bytes).digest('hex'));
          const zip = await decrypt(bytes, [{ type: 'x25519', identity }]);
          assert.deepEqual(readZipLayout(zip).map((l) => l.dataOffset), result.dataOffsets);
          all.forEach((a, i) => assert.ok(zip.subarray(result.dataOffsets[i], result.dataOffsets[i] + a.blob.length).equals(a.blob)));
        }
        // a file that cannot be created: the error keeps its code, for the store to explain (here: it exists already)
        await assert.rejects(openPackFile(packs[0].file, recipient), { code: 'EEXIST' });
      } finally {
        setSealWorkerEnabled(true);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('handOver moves the staging buffer to the worker and gives it back; packs in flight resolve independently', async () => {
    setSealWorkerEnabled(true);
    const { staging, entries, blobs } = staged([200_000, 7]);
    const before = staging.buffer;
    const length = staging.length;
    const out = await sealPack({ staging, entries, recipient }, true);
    assert.equal(before.byteLength, 0, 'detached here while the worker had it');
    assert.ok(out.staging && out.staging.length === length, 'the staging buffer comes back to be reused');
    const zip = await decrypt(out.data, [{ type: 'x25519', identity }]);
    assert.deepEqual(zip.subarray(out.dataOffsets[0], out.dataOffsets[0] + 200_000), blobs[0]);
    const many = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const s = staged([100_000 + i, i + 1]);
        const r = await sealPack({ staging: s.staging, entries: s.entries, recipient }, true);
        const z = await decrypt(r.data, [{ type: 'x25519', identity }]);
        return s.blobs.every((b, k) => z.subarray(r.dataOffsets[k], r.dataOffsets[k] + b.length).equals(b));
      }),
    );
    assert.deepEqual(many, Array(6).fill(true));
  });

  for (const threaded of [true, false]) {
    test(`${threaded ? 'worker thread' : 'in-thread fallback'}: a written pack's buffer receives the next pack, which opens byte for byte`, async () => {
      setSealWorkerEnabled(threaded);
      const first = staged([1_100_000, 5]);
      const a = await sealPack({ staging: first.staging, entries: first.entries, recipient });
      assert.ok(a.data.buffer.byteLength >= a.data.length + 1024 * 1024, 'a large pack gets a buffer with room for a larger one');
      const keep = Buffer.from(a.data); // what was written
      recyclePackData(a.data);
      const second = staged([1_150_000, 9]);
      const b = await sealPack({ staging: second.staging, entries: second.entries, recipient });
      if (threaded) assert.equal(a.data.buffer.byteLength, 0, 'the buffer moved to the seal thread to receive the next pack');
      else assert.equal(b.data.buffer, a.data.buffer, 'the same memory, reused');
      assert.equal(b.sha256, createHash('sha256').update(b.data).digest('hex'));
      const zip = await decrypt(b.data, [{ type: 'x25519', identity }]);
      second.blobs.forEach((blob, i) => assert.deepEqual(zip.subarray(b.dataOffsets[i], b.dataOffsets[i] + blob.length), blob));
      // the first pack, as written, still opens (the test kept a copy: the store has written it before the reuse)
      const z1 = await decrypt(keep, [{ type: 'x25519', identity }]);
      assert.deepEqual(z1.subarray(a.dataOffsets[0], a.dataOffsets[0] + first.blobs[0].length), first.blobs[0]);
    });
  }

  test('the seal thread stops when the last job holding it ends (not before), and starts again for the next pack', async () => {
    setSealWorkerEnabled(true);
    const backupA = holdPackResources();
    const backupB = holdPackResources(); // two jobs at once: a backup and a repack
    const open = async () => {
      const { staging, entries, blobs } = staged([1000, 70_000]);
      const out = await sealPack({ staging, entries, recipient });
      const zip = await decrypt(out.data, [{ type: 'x25519', identity }]);
      assert.deepEqual(zip.subarray(out.dataOffsets[1], out.dataOffsets[1] + blobs[1].length), blobs[1]);
    };
    await open();
    assert.equal(sealThreadRunning(), true);
    await backupA();
    await backupA(); // a second call does nothing
    assert.equal(sealThreadRunning(), true, 'the other job still seals');
    await open();
    await backupB();
    assert.equal(sealThreadRunning(), false, 'stopped with the last job');
    const next = holdPackResources();
    await open(); // a new thread, probed again
    assert.equal(sealThreadRunning(), true);
    assert.equal(await sealThreadInUse(), true);
    await next();
    assert.equal(sealThreadRunning(), false);
  });

  test('a seal thread that never answers its probe is stopped; the packs are sealed here, and the next job tries a new thread', async () => {
    setSealWorkerEnabled(true);
    const job = holdPackResources();
    // a thread that starts but never answers (as one whose module loading hangs would)
    setSealThreadForTests("require('node:worker_threads').parentPort.on('message', () => undefined);", 300);
    try {
      const { staging, entries, blobs } = staged([1000, 70_000]);
      const started = Date.now();
      const out = await sealPack({ staging, entries, recipient });
      assert.ok(Date.now() - started < 5_000, 'waited for the probe only as long as allowed');
      const zip = await decrypt(out.data, [{ type: 'x25519', identity }]);
      assert.deepEqual(zip.subarray(out.dataOffsets[1], out.dataOffsets[1] + blobs[1].length), blobs[1]);
      const dir = mkdtempSync(join(tmpdir(), 'rempart-seal-silent-'));
      try {
        const file = await openPackFile(join(dir, 'pack'), recipient); // sealed here too (a new silent thread, stopped)
        await file.append(Buffer.from(staging), entries);
        const { sha256 } = await file.finish();
        assert.equal(sha256, createHash('sha256').update(readFileSync(join(dir, 'pack'))).digest('hex'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.equal(sealThreadRunning(), false, 'the silent threads were stopped');
    } finally {
      setSealThreadForTests(null);
      await job();
    }
    assert.equal(await sealThreadInUse(), true, 'the real thread starts again and passes its probe');
  });
});

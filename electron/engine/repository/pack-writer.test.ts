import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { systemClock } from '../base/clock.js';
import { isRempartError } from '../base/errors.js';
import { blobId, deriveKeys } from '../content/hashing.js';
import { generateIdentity } from '../content/age/index.js';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempLocalStore } from '../../../test-support/temp-local-store.js';
import type { BlobStore } from './blob-store.js';
import { PackBuilder, parseEntryName, zipInMemory } from './pack-builder.js';
import { PackWriter } from './pack-writer.js';
import type { PackIndexFile } from './types.js';
import { readZipLayout } from './zip-layout.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/**
 * The real local store, with pack writes held until `open()` is called (to observe backpressure). `inFiles`: packs go to
 * temporary files as they fill, and their commits are held; else the store offers no temporary files (as WebDAV) and
 * whole packs are held in memory on their way to write().
 */
function gated(store: BlobStore, inFiles: boolean): { store: BlobStore; open(): void; packWrites: () => number } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let packWrites = 0;
  const wrapped: BlobStore = Object.create(store);
  wrapped.write = async (path, data, size, opts) => {
    if (path.endsWith('.pack')) {
      packWrites++;
      await gate;
    }
    return store.write(path, data, size, opts);
  };
  if (!inFiles) wrapped.temporaryFile = undefined;
  else {
    wrapped.temporaryFile = async (dir) => {
      const temp = await store.temporaryFile!(dir);
      return {
        ...temp,
        file: temp.file,
        commit: async (path, size, opts) => {
          packWrites++;
          await gate;
          return temp.commit(path, size, opts);
        },
      };
    };
  }
  return { store: wrapped, open: release, packWrites: () => packWrites };
}

/** Temporary files left in a store's folder. */
async function leftovers(root: string): Promise<string[]> {
  const all = await readdir(root, { recursive: true });
  return all.filter((f) => f.split('/').some((p) => p.startsWith('.tmp-')));
}

describe('pack writer', () => {
  for (const inFiles of [false, true]) {
  test(`at most two packs being finished (${inFiles ? 'written to their files as they fill' : 'in memory, a store without temporary files'}): adding waits while a full pack queues behind the one being written`, async () => {
    const tmp = await tempLocalStore();
    cleanups.push(tmp.cleanup);
    const g = gated(tmp.store, inFiles);
    const { sealKey, idKey } = deriveKeys(randomBytes(32));
    const written: PackIndexFile[] = [];
    const packSize = 4 * 1024 * 1024;
    const w = new PackWriter({ store: g.store, recipient: generateIdentity().recipient, sealKey, packSize, clock: systemClock, onPackWritten: (i) => written.push(i) });
    const blob = () => {
      const data = randomBytes(1024 * 1024);
      return { id: blobId(idKey, data), stored: { codec: 'raw' as const, data, rawLength: data.length } };
    };
    // Pack 1 fills and goes to the (held) store; pack 2 fills and must wait.
    for (let i = 0; i < 4; i++) {
      const b = blob();
      await w.add(b.id, b.stored);
    }
    let blocked = true;
    const fifth = blob();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) {
      const b = i === 0 ? fifth : blob();
      await w.add(b.id, b.stored);
    }
    const last = blob();
    pending.push(w.add(last.id, last.stored).then(() => void (blocked = false)));
    // the first pack reaches the (held) store once sealed (the seal thread starts on first use), then nothing moves
    for (let waited = 0; g.packWrites() === 0 && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(blocked, true, 'the 2nd full pack waits for the 1st to be written');
    assert.ok(w.has(fifth.id), 'blobs waiting in memory count as present (no double add)');
    assert.equal(g.packWrites(), 1);
    g.open();
    await Promise.all(pending);
    const ids = await w.flush();
    assert.equal(ids.length, 2);
    assert.equal(written.length, 2);
    assert.equal(written.reduce((n, i) => n + i.blobs.length, 0), 8);
    assert.equal((await tmp.store.list('index')).length, 2);
    assert.equal(w.streaming, inFiles);
    assert.deepEqual(await leftovers(tmp.dir), [], 'no temporary file is left');
  });
  }

  test('bytesWritten is what each store holds, with two writers reusing written packs’ buffers (two copies in one run)', async () => {
    const { sealKey, idKey } = deriveKeys(randomBytes(32));
    const writers = await Promise.all(
      [0, 1].map(async (k) => {
        const tmp = await tempLocalStore();
        cleanups.push(tmp.cleanup);
        // index files written slowly: the other writer seals meanwhile, into the buffer this one has just given back
        const slow: BlobStore = Object.create(tmp.store);
        slow.write = async (path, data, size, opts) => {
          if (path.endsWith('.idx') && k === 0) await new Promise((r) => setTimeout(r, 40));
          return tmp.store.write(path, data, size, opts);
        };
        const w = new PackWriter({ store: slow, recipient: generateIdentity().recipient, sealKey, packSize: 4 << 20, clock: systemClock, onPackWritten: () => undefined });
        return { w, store: tmp.store };
      }),
    );
    await Promise.all(
      writers.map(async ({ w }, k) => {
        for (let i = 0; i < 26; i++) {
          const data = randomBytes(1024 * 1024 - 1000 * i - k);
          await w.add(blobId(idKey, data), { codec: 'raw', data, rawLength: data.length });
        }
        assert.ok((await w.flush()).length >= 5);
      }),
    );
    for (const { w, store } of writers) {
      const files = [...(await store.list('data')), ...(await store.list('index'))];
      assert.equal(w.bytesWritten, files.reduce((n, f) => n + f.size, 0));
    }
  });

  test('a failed pack write is reported on the next add or flush', async () => {
    const tmp = await tempLocalStore();
    cleanups.push(tmp.cleanup);
    const failing: BlobStore = Object.create(tmp.store);
    failing.write = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const { sealKey } = deriveKeys(randomBytes(32));
    const w = new PackWriter({ store: failing, recipient: generateIdentity().recipient, sealKey, packSize: 4 << 20, clock: systemClock, onPackWritten: () => undefined });
    await w.add('a'.repeat(64), { codec: 'raw', data: randomBytes(100), rawLength: 100 });
    await assert.rejects(w.flush(), /ENOSPC/);
    await assert.rejects(w.add('b'.repeat(64), { codec: 'raw', data: randomBytes(100), rawLength: 100 }), /ENOSPC/);
  });

  test('a pack file that cannot be written fails the run in plain words, and its temporary file goes', async () => {
    const tmp = await tempLocalStore();
    cleanups.push(tmp.cleanup);
    const { sealKey, idKey } = deriveKeys(randomBytes(32));
    // the pack's file sits in a folder that disappears once the first blobs are on their way (a drive yanked out)
    const vanishing: BlobStore = Object.create(tmp.store);
    let file = '';
    vanishing.temporaryFile = async (dir) => {
      const temp = await tmp.store.temporaryFile!(dir);
      file = temp.file;
      return temp;
    };
    const w = new PackWriter({ store: vanishing, recipient: generateIdentity().recipient, sealKey, packSize: 4 << 20, clock: systemClock, onPackWritten: () => undefined });
    assert.equal(w.streaming, true);
    const add = async () => {
      const data = randomBytes(600 * 1024);
      await w.add(blobId(idKey, data), { codec: 'raw', data, rawLength: data.length });
    };
    await add();
    await add(); // the first segment leaves: the file exists
    for (let waited = 0; file === '' && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    await rm(join(tmp.dir, 'data'), { recursive: true, force: true });
    await mkdir(join(tmp.dir, 'data', file.split('/').pop()!), { recursive: true }); // the name is now a folder: no rename
    const err = await w.flush().then(() => null, (e: unknown) => e);
    assert.ok(isRempartError(err), `a RempartError, got ${String(err)}`);
    assert.deepEqual((await tmp.store.list('index')).length, 0);
  });
});

describe('zip layout', () => {
  test('offsets read back from an archiver zip point at each entry’s bytes', async () => {
    const b = new PackBuilder();
    const blobs = Array.from({ length: 50 }, (_, i) => randomBytes(1 + i * 997));
    blobs.forEach((d, i) => b.add(i.toString(16).padStart(64, '0'), { codec: i % 2 ? 'brotli' : 'raw', data: d, rawLength: d.length }));
    const { zip, blobs: index } = await b.buildZip();
    index.forEach((e, i) => {
      assert.deepEqual(zip.subarray(e.offset, e.offset + e.length), blobs[i]);
      assert.equal(e.codec, i % 2 ? 'brotli' : 'raw');
    });
    assert.deepEqual(parseEntryName(`${'f'.repeat(64)}.br`), { id: 'f'.repeat(64), codec: 'brotli' });
    assert.equal(parseEntryName('x.zip'), null);
  });

  test('a damaged zip is DATA_CORRUPT', async () => {
    const zip = await zipInMemory([{ name: 'a.raw', data: Buffer.from('hello') }]);
    assert.equal(readZipLayout(zip).length, 1);
    const corrupt = (e: unknown) => isRempartError(e, 'DATA_CORRUPT');
    assert.throws(() => readZipLayout(zip.subarray(0, zip.length - 10)), corrupt);
    const badLocal = Buffer.from(zip);
    badLocal.writeUInt32LE(0, 0);
    assert.throws(() => readZipLayout(badLocal), corrupt);
    assert.throws(() => readZipLayout(Buffer.alloc(10)), corrupt);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm, stat, utimes } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileChunks, ReadScratch } from './file-reader.js';
import { newChunker } from './content-ports.js';

/** Reads with and without a reused read buffer (chunks copied as they come, as the compression pool does): same result. */
async function readAll(p: string, expectedSize: number) {
  const read = async (scratch?: ReadScratch) => {
    const chunks: Buffer[] = [];
    const r = await readFileChunks(p, newChunker(expectedSize), (c) => void chunks.push(Buffer.from(c)), { expectedSize, scratch });
    return { r, chunks };
  };
  const plain = await read();
  const scratch = new ReadScratch();
  scratch.take(2 * 1024 * 1024).fill(0xee); // garbage left by an earlier file
  const reused = await read(scratch);
  assert.deepEqual(reused.r, plain.r);
  assert.deepEqual(reused.chunks, plain.chunks);
  return plain;
}

test('file reader: small files as one blob, big ones in content-defined chunks, sha256 of the whole', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-reader-'));
  try {
    for (const size of [0, 1, 100_000, 512 * 1024, 3 * 1024 * 1024, 9 * 1024 * 1024]) {
      const data = randomBytes(size);
      const p = join(dir, `f${size}`);
      await writeFile(p, data);
      const { r, chunks } = await readAll(p, size);
      assert.equal(r.sha256, createHash('sha256').update(data).digest('hex'));
      assert.equal(r.bytesRead, size);
      assert.equal(r.changed, false);
      assert.ok(Buffer.concat(chunks).equals(data));
      if (size <= 512 * 1024) assert.equal(chunks.length, size === 0 ? 0 : 1, `size ${size}`);
      else assert.ok(chunks.length > 1);
    }
    // the scan saw a small file, but it has grown a lot since: it is streamed and chunked, not slurped
    const grown = randomBytes(4 * 1024 * 1024);
    await writeFile(join(dir, 'grown'), grown);
    const { r, chunks } = await readAll(join(dir, 'grown'), 10);
    assert.ok(Buffer.concat(chunks).equals(grown));
    assert.equal(r.bytesRead, grown.length);
    // a file that vanished is an error the caller reports as skipped
    await assert.rejects(readAll(join(dir, 'missing'), 10), { code: 'ENOENT' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('file reader: reading a file leaves its access time alone (O_NOATIME on Linux), small and streamed files alike', { skip: process.platform !== 'linux' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-reader-atime-'));
  try {
    for (const size of [10_000, 3 * 1024 * 1024]) {
      const p = join(dir, `f${size}`);
      await writeFile(p, randomBytes(size));
      // an access time older than the modification time: relatime would update it on the next read
      const old = new Date(Date.now() - 3 * 86_400_000);
      await utimes(p, old, new Date());
      const before = await stat(p);
      await readAll(p, size);
      const after = await stat(p);
      assert.equal(after.atimeMs, before.atimeMs, `size ${size}: access time unchanged`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

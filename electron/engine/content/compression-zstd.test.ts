/**
 * The zstd codec on every runtime: native node:zlib where it exists (Node ≥ 22.15), fzstd (pure JS) elsewhere (Node 20,
 * the CI runtime). Frames come from the reference `zstd` CLI (with and without the content size in the header, with its
 * checksum) and, where available, from node:zlib; both decoders must give back the input, and damage must be DATA_CORRUPT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { isRempartError } from '../base/errors.js';
import { requireTools } from '../../../test-support/tools.js';
import { compressBlob, decompressBlob, hasNativeZstd, preferredCodec, zstdDecompressJs } from './compression.js';

const native = zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer; zstdDecompressSync?: (b: Buffer) => Buffer };
const isCorrupt = (e: unknown) => isRempartError(e, 'DATA_CORRUPT');

/** Deterministic shop-like content: invoice lines from a seeded generator, and 4 KiB database pages. */
function shopData(size: number, seed: number): Buffer {
  const words = ['Facture', 'client', 'Dupré', 'café', 'montant', 'TTC', 'TVA', '20 %', 'Élodie', 'Marché', 'réglé', 'CB', '€'];
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  const out = Buffer.alloc(size);
  let pos = 0;
  while (pos < size) {
    if ((next() & 7) === 0) {
      // a "page": header, a few records, zero padding
      const page = Buffer.alloc(Math.min(4096, size - pos));
      page.writeUInt32LE(next(), 0);
      for (let i = 8; i < page.length / 3; i++) page[i] = next() & 0x3f;
      pos += page.copy(out, pos);
    } else {
      const line = `${words[next() % words.length]} ${next() % 100000},${next() % 100} ${words[next() % words.length]}\n`;
      pos += out.write(line, pos);
    }
  }
  return out;
}

function zstdCli(args: string[], input: Buffer): Buffer {
  return execFileSync('zstd', [...args, '-c', '-q'], { input, maxBuffer: 1 << 28 });
}

/** A frame with the content size in its header: the CLI knows the size of a file (not of stdin). */
function zstdCliFile(input: Buffer, level = 1): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'rempart-zstd-'));
  try {
    writeFileSync(join(dir, 'in'), input);
    return execFileSync('zstd', [`-${level}`, '-c', '-q', join(dir, 'in')], { maxBuffer: 1 << 28 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a known zstd frame decodes without any tool, through fzstd and through decompressBlob', async () => {
  const frame = Buffer.from('KLUv/WBAAN0AAKByZW1wYXJ0IHpzdGQgcHJvYmU7IAEAUk6dTA==', 'base64');
  const want = Buffer.from('rempart zstd probe; '.repeat(16));
  assert.ok(zstdDecompressJs(frame, want.length).equals(want));
  assert.ok((await decompressBlob('zstd', frame, want.length)).equals(want));
  assert.throws(() => zstdDecompressJs(frame, want.length - 1), /exceeds/);
  await assert.rejects(decompressBlob('zstd', frame, want.length - 1), isCorrupt);
  await assert.rejects(decompressBlob('zstd', frame, want.length + 1), isCorrupt);
});

test('frames of the zstd CLI (levels 1/3/19, with and without content size, multi-block) decode on this runtime and in JS', async (t) => {
  if (!requireTools(t, ['zstd'])) return;
  const inputs = [shopData(64, 1), shopData(16 * 1024, 2), shopData(300_000, 3), Buffer.alloc(1 << 20), shopData(4096, 4)];
  for (const [i, plain] of inputs.entries()) {
    for (const frame of [zstdCli(['-1'], plain), zstdCli(['-19', '--no-check'], plain), zstdCliFile(plain), zstdCliFile(plain, 3)]) {
      assert.ok(zstdDecompressJs(frame, plain.length).equals(plain), `fzstd, input ${i}`);
      assert.ok((await decompressBlob('zstd', frame, plain.length)).equals(plain), `decompressBlob, input ${i}`);
    }
  }
});

test('blobs written here decode on every runtime; on a runtime with native zstd, fzstd reads what node:zlib wrote', async () => {
  for (const seed of [5, 6, 7]) {
    const plain = shopData(16 * 1024 + seed * 1000, seed);
    const blob = await compressBlob(plain);
    assert.equal(blob.codec, preferredCodec());
    assert.ok((await decompressBlob(blob.codec, blob.data, plain.length)).equals(plain));
    if (blob.codec === 'zstd') {
      assert.ok(zstdDecompressJs(blob.data, plain.length).equals(plain), 'the Node 20 fallback reads a Node 24 blob');
      assert.ok(blob.data.length < plain.length * 0.6);
    }
  }
  if (hasNativeZstd() && native.zstdDecompressSync) {
    const plain = shopData(200_000, 9);
    const frame = native.zstdCompressSync!(plain);
    assert.ok(zstdDecompressJs(frame, plain.length).equals(plain));
    assert.ok(native.zstdDecompressSync(frame).equals(plain));
  }
});

test('damaged zstd blobs are DATA_CORRUPT: truncated, bit-flipped, wrong length, not zstd, decompression bomb', async (t) => {
  const plain = shopData(20_000, 11);
  const frame = hasNativeZstd() ? native.zstdCompressSync!(plain) : requireTools(t, ['zstd']) ? zstdCli(['-1'], plain) : null;
  if (!frame) return;
  assert.ok((await decompressBlob('zstd', frame, plain.length)).equals(plain));
  await assert.rejects(decompressBlob('zstd', frame.subarray(0, frame.length - 7), plain.length), isCorrupt);
  await assert.rejects(decompressBlob('zstd', frame, plain.length - 1), isCorrupt);
  await assert.rejects(decompressBlob('zstd', frame, plain.length + 1), isCorrupt);
  await assert.rejects(decompressBlob('zstd', zlib.brotliCompressSync(plain), plain.length), isCorrupt);
  await assert.rejects(decompressBlob('zstd', Buffer.alloc(0), plain.length), isCorrupt);
  assert.throws(() => zstdDecompressJs(frame.subarray(0, frame.length - 7), plain.length));
  // A flipped byte either fails to decode or decodes to other bytes (the keyed id check after decoding catches those).
  // (Not the last 4 bytes: a CLI frame ends with an optional checksum, which fzstd does not verify; ours carry none.)
  for (const at of [0, 4, 6, Math.floor(frame.length / 2), frame.length - 5]) {
    const flipped = Buffer.from(frame);
    flipped[at] ^= 0x55;
    const got = await decompressBlob('zstd', flipped, plain.length).catch((e: unknown) => (isCorrupt(e) ? null : e));
    assert.ok(got === null || (Buffer.isBuffer(got) && !got.equals(plain)), `flip at ${at}`);
  }
  // 64 MiB of zeros in a few bytes: refused once the output passes the recorded length, by either decoder.
  const bomb = hasNativeZstd() ? native.zstdCompressSync!(Buffer.alloc(64 << 20)) : zstdCli(['-1'], Buffer.alloc(64 << 20));
  await assert.rejects(decompressBlob('zstd', bomb, 1000), isCorrupt);
  assert.throws(() => zstdDecompressJs(bomb, 1000), /exceeds/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isRempartError } from '../../base/errors.js';
import { encrypt, generateIdentity, parseHeader, recipientOf, SequentialDecryptor } from './index.js';

async function pieces(file: Buffer, identity: string, sizes: () => number): Promise<Buffer> {
  const dec = new SequentialDecryptor([{ type: 'x25519', identity }]);
  const out: Buffer[] = [];
  for (let off = 0; off < file.length; ) {
    const n = Math.min(file.length - off, sizes());
    out.push(...(await dec.push(file.subarray(off, off + n))));
    off += n;
  }
  out.push(dec.finish());
  return Buffer.concat(out);
}

test('sequential decryption of any piece sizes gives the plaintext (empty, one chunk, exact chunks, odd sizes)', async () => {
  const { identity } = generateIdentity();
  const recipient = recipientOf(identity);
  for (const size of [0, 1, 65536, 65537, 3 * 65536, 200_000]) {
    const plain = randomBytes(size);
    const file = await encrypt(plain, [{ type: 'x25519', recipient }]);
    for (const step of [1, 7, 4096, 65552, 1 << 20]) {
      const n = size > 70_000 && step === 1 ? 997 : step; // byte by byte only on small files
      assert.ok((await pieces(file, identity, () => n)).equals(plain), `size ${size} step ${n}`);
    }
    assert.ok((await pieces(file, identity, () => 1 + Math.floor(Math.random() * 100_000))).equals(plain));
  }
});

test('truncation, a flipped bit and another key are detected', async () => {
  const { identity } = generateIdentity();
  const plain = randomBytes(150_000);
  const file = await encrypt(plain, [{ type: 'x25519', recipient: recipientOf(identity) }]);
  const corrupt = (e: unknown) => isRempartError(e, 'DATA_CORRUPT');
  // cut at a chunk boundary: every remaining chunk authenticates, the missing final flag does not
  const { headerLength } = parseHeader(file);
  const cut = file.subarray(0, headerLength + 16 + 2 * (65536 + 16));
  await assert.rejects(pieces(cut, identity, () => 10_000), corrupt);
  await assert.rejects(pieces(file.subarray(0, file.length - 5), identity, () => 10_000), corrupt);
  const flipped = Buffer.from(file);
  flipped[file.length - 1000] ^= 1;
  await assert.rejects(pieces(flipped, identity, () => 10_000), corrupt);
  await assert.rejects(pieces(file, generateIdentity().identity, () => 10_000), (e) => isRempartError(e));
});

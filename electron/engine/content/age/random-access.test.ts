import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isRempartError } from '../../base/errors.js';
import { AGE_CHUNK_SIZE, decryptRange, encrypt, generateIdentity, openPayload, parseHeader, unwrapFileKey, type ReadAt } from './index.js';

const id = generateIdentity();

function reader(buf: Buffer, log: Array<[number, number]> = []): ReadAt {
  return async (offset, length) => {
    log.push([offset, length]);
    return buf.subarray(offset, offset + length);
  };
}

test('openPayload reads any plaintext range, touching only the chunks it needs', async () => {
  const data = randomBytes(5 * AGE_CHUNK_SIZE + 123);
  const ct = await encrypt(data, [{ type: 'x25519', recipient: id.recipient }]);
  const log: Array<[number, number]> = [];
  const payload = await openPayload(reader(ct, log), ct.length, [{ type: 'x25519', identity: id.identity }]);
  assert.equal(payload.plaintextSize, data.length);
  const ranges: Array<[number, number]> = [
    [0, 0], [0, 1], [10, 20], [AGE_CHUNK_SIZE - 3, AGE_CHUNK_SIZE + 3], [AGE_CHUNK_SIZE, 2 * AGE_CHUNK_SIZE],
    [3 * AGE_CHUNK_SIZE + 7, data.length], [data.length, data.length], [0, data.length],
  ];
  for (const [s, e] of ranges) assert.deepEqual(await payload.read(s, e), data.subarray(s, e), `range ${s}-${e}`);
  log.length = 0;
  await payload.read(AGE_CHUNK_SIZE + 5, AGE_CHUNK_SIZE + 10);
  assert.deepEqual(log, [[payload.headerLength + 16 + (AGE_CHUNK_SIZE + 16), AGE_CHUNK_SIZE + 16]]);
  await assert.rejects(payload.read(0, data.length + 1), (e) => isRempartError(e, 'DATA_CORRUPT'));
});

test('decryptRange with a cached file key; the final-chunk flag is verified when a range reaches the end', async () => {
  for (const size of [0, 1000, AGE_CHUNK_SIZE, 2 * AGE_CHUNK_SIZE, 2 * AGE_CHUNK_SIZE + 1]) {
    const data = randomBytes(size);
    const ct = await encrypt(data, [{ type: 'x25519', recipient: id.recipient }]);
    const header = parseHeader(ct.subarray(0, 1000));
    const fileKey = await unwrapFileKey(header, [{ type: 'x25519', identity: id.identity }]);
    const got = await decryptRange(reader(ct), fileKey, header.headerLength, Math.floor(size / 3), size, ct.length);
    assert.deepEqual(got, data.subarray(Math.floor(size / 3)), `size ${size}`);
    if (size > AGE_CHUNK_SIZE) {
      // Cut the file right after a full chunk: that chunk is now read as the last one and must fail.
      const cut = header.headerLength + 16 + AGE_CHUNK_SIZE + 16;
      await assert.rejects(decryptRange(reader(ct), fileKey, header.headerLength, 0, 10, cut), (e) => isRempartError(e, 'DATA_CORRUPT'));
      // The first chunk alone (range before the end) still reads fine from the intact file.
      assert.deepEqual(await decryptRange(reader(ct), fileKey, header.headerLength, 0, 10, ct.length), data.subarray(0, 10));
    }
    const flipped = Buffer.from(ct);
    flipped[ct.length - 1] ^= 0x80;
    await assert.rejects(decryptRange(reader(flipped), fileKey, header.headerLength, size, size, ct.length), (e) => isRempartError(e, 'DATA_CORRUPT'));
  }
});

test('openPayload with a header larger than the first read (many recipients)', async () => {
  const recipients = Array.from({ length: 60 }, () => ({ type: 'x25519' as const, recipient: generateIdentity().recipient }));
  recipients.push({ type: 'x25519', recipient: id.recipient });
  const data = randomBytes(3000);
  const ct = await encrypt(data, recipients);
  assert.ok(parseHeader(ct).headerLength > 4096);
  const payload = await openPayload(reader(ct), ct.length, [{ type: 'x25519', identity: id.identity }]);
  assert.deepEqual(await payload.read(0, 3000), data);
});

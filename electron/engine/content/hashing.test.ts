import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { isRempartError } from '../base/errors.js';
import { blobId, blobIdHasher, deriveKeys, open, randomKey, seal, SEAL_OVERHEAD, sha256Hex } from './hashing.js';

test('deriveKeys: deterministic, distinct keys, distinct per writer key; bad key length refused', () => {
  const wk = randomKey();
  const a = deriveKeys(wk);
  const b = deriveKeys(Buffer.from(wk));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.idKey, a.sealKey);
  assert.notDeepEqual(deriveKeys(randomKey()).idKey, a.idKey);
  assert.throws(() => deriveKeys(Buffer.alloc(16)), (e) => isRempartError(e, 'INVALID_INPUT'));
});

test('blobId is HMAC-SHA-256 hex, keyed (differs from sha256 and across keys), incremental form agrees', () => {
  const { idKey } = deriveKeys(randomKey());
  const data = randomBytes(100_000);
  const id = blobId(idKey, data);
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(id, createHmac('sha256', idKey).update(data).digest('hex'));
  assert.notEqual(id, sha256Hex(data));
  assert.notEqual(id, blobId(deriveKeys(randomKey()).idKey, data));
  const h = blobIdHasher(idKey);
  for (let i = 0; i < data.length; i += 7777) h.update(data.subarray(i, i + 7777));
  assert.equal(h.digest('hex'), id);
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('seal/open round trip; random nonce; every tamper, truncation, wrong key, unknown version is DATA_CORRUPT', () => {
  const { sealKey } = deriveKeys(randomKey());
  for (const size of [0, 1, 1000]) {
    const data = randomBytes(size);
    const s1 = seal(sealKey, data);
    assert.equal(s1.length, size + SEAL_OVERHEAD);
    assert.equal(s1[0], 1);
    assert.notDeepEqual(seal(sealKey, data), s1);
    assert.deepEqual(open(sealKey, s1), data);
    for (let pos = 0; pos < s1.length; pos += Math.max(1, Math.floor(s1.length / 40))) {
      const bad = Buffer.from(s1);
      bad[pos] ^= 0x04;
      assert.throws(() => open(sealKey, bad), (e) => isRempartError(e, 'DATA_CORRUPT'), `flip at ${pos}`);
    }
    assert.throws(() => open(sealKey, s1.subarray(0, s1.length - 1)), (e) => isRempartError(e, 'DATA_CORRUPT'));
    assert.throws(() => open(deriveKeys(randomKey()).sealKey, s1), (e) => isRempartError(e, 'DATA_CORRUPT'));
  }
});

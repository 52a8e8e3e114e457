import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { decrypt, generateIdentity } from '../content/age/index.js';
import { encryptPack, setSealWorkerEnabled } from './seal-worker.js';

after(() => setSealWorkerEnabled(true));

describe('pack encryption thread', () => {
  const { identity, recipient } = generateIdentity();
  const sizes = [1, 65535, 65536, 65537, 3 * 65536, 1_000_003];

  for (const threaded of [true, false]) {
    test(`${threaded ? 'worker thread' : 'in-thread fallback'}: age files that decrypt, with the sha256 of the file`, async () => {
      setSealWorkerEnabled(threaded);
      for (const size of sizes) {
        const plain = randomBytes(size);
        const { data, sha256 } = await encryptPack(Buffer.from(plain), recipient);
        assert.equal(sha256, createHash('sha256').update(data).digest('hex'));
        assert.deepEqual(await decrypt(data, [{ type: 'x25519', identity }]), plain, `size ${size}`);
      }
    });
  }

  test('handOver moves the buffer to the worker (no copy; detached here); many packs in flight resolve independently', async () => {
    setSealWorkerEnabled(true);
    const own = Buffer.allocUnsafe(200_000);
    own.fill(7);
    const done = await encryptPack(own, recipient, true);
    assert.equal(own.buffer.byteLength, 0, 'detached');
    assert.deepEqual(await decrypt(done.data, [{ type: 'x25519', identity }]), Buffer.alloc(200_000, 7));
    const many = await Promise.all(Array.from({ length: 6 }, (_, i) => encryptPack(Buffer.alloc(100_000 + i, i), recipient)));
    for (const [i, r] of many.entries()) assert.deepEqual(await decrypt(r.data, [{ type: 'x25519', identity }]), Buffer.alloc(100_000 + i, i));
  });
});

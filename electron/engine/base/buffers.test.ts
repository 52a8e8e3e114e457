import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freeNow } from './buffers.js';

const canTransfer = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';

test('freeNow frees a buffer that is the whole of its memory, and leaves views, pooled slices and small buffers alone', () => {
  const owned = Buffer.allocUnsafeSlow(64 * 1024).fill(1);
  freeNow(owned);
  assert.equal(owned.length, canTransfer ? 0 : 64 * 1024, canTransfer ? 'its memory is gone' : 'Node 20: left to the collector');

  const big = Buffer.alloc(64 * 1024, 2);
  const view = big.subarray(1024, 2048);
  freeNow(view);
  assert.equal(big.length, 64 * 1024, 'a view never frees the buffer it is part of');
  assert.equal(view[0], 2);

  const pooled = Buffer.from('facture n° 12'); // a slice of Node's shared pool
  freeNow(pooled);
  assert.equal(pooled.toString(), 'facture n° 12');

  const small = Buffer.allocUnsafeSlow(4096).fill(3);
  freeNow(small);
  assert.equal(small.length, 4096, 'not worth it: left to the collector');
});

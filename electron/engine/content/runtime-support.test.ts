import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertContentRuntimeSupport, contentRuntimeSupport } from './runtime-support.js';

test('this Node runtime offers every native primitive the content layer needs', () => {
  const s = contentRuntimeSupport();
  assert.deepEqual(s, { chacha20Poly1305: true, x25519: true, hkdf: true, scrypt: true, brotli: true });
  assert.equal(contentRuntimeSupport(), s); // probed once
  assert.doesNotThrow(() => assertContentRuntimeSupport());
});

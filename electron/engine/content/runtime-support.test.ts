import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { useCryptoBackend } from './crypto/index.js';
import { assertContentRuntimeSupport, contentRuntimeSupport, cryptoBackend } from './runtime-support.js';
import { hasNativeZstd, zstdReleasesContexts } from './compression.js';

const ALL_NATIVE = { chacha20Poly1305: 'native', x25519: 'native', hkdf: 'native', scrypt: 'native' };
const ALL_FALLBACK = { chacha20Poly1305: 'fallback', x25519: 'fallback', hkdf: 'fallback', scrypt: 'fallback' };

test('this Node runtime offers every primitive natively; the content layer runs on native and on the fallback', async () => {
  const s = contentRuntimeSupport();
  assert.deepEqual(s.native, { chacha20Poly1305: true, x25519: true, hkdf: true, scrypt: true });
  assert.equal(s.brotli, true);
  // zstd decodes everywhere: node:zlib from Node 22.15 (then new blobs are zstd), fzstd before (new blobs brotli)
  assert.equal(s.zstd, hasNativeZstd() ? 'native' : 'js');
  assert.equal(s.codec, hasNativeZstd() && zstdReleasesContexts() ? 'zstd' : 'brotli');
  assert.equal(hasNativeZstd(), typeof (zlib as unknown as Record<string, unknown>).zstdCompress === 'function');
  try {
    await useCryptoBackend('native');
    assert.equal(cryptoBackend(), 'native');
    assert.deepEqual(contentRuntimeSupport().choice, ALL_NATIVE);
    assert.doesNotThrow(() => assertContentRuntimeSupport());
    await useCryptoBackend('fallback');
    assert.equal(cryptoBackend(), 'wasm');
    assert.deepEqual(contentRuntimeSupport().choice, ALL_FALLBACK);
    assert.doesNotThrow(() => assertContentRuntimeSupport());
  } finally {
    await useCryptoBackend('auto');
  }
  assert.equal(cryptoBackend(), process.env.REMPART_CRYPTO_FALLBACK === '1' ? 'wasm' : 'native');
});

/**
 * The primitives without OpenSSL-only node:crypto features, for Electron's BoringSSL: ChaCha20-Poly1305 and X25519 from
 * libsodium compiled to WebAssembly (`libsodium-wrappers`: no native addon; ~260–300 MB/s vs ~1000+ native), HKDF built on
 * HMAC-SHA-256 (createHmac works everywhere), scrypt from @noble/hashes (pure JS, about as fast as native here).
 * libsodium needs an asynchronous start (`sodium.ready`): `loadFallback()` imports it and awaits it once. It is imported
 * only then: its WebAssembly instance costs ~13 MB of memory in every process otherwise, where node:crypto has it all.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type Sodium from 'libsodium-wrappers';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { asBuffer, type AeadKey, type Primitives, type ScryptParams } from './types.js';

/** Set by loadFallback(); the backend awaits it before any fallback primitive is used. */
let sodium: typeof Sodium;

function aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): [Buffer, Buffer] {
  const r = sodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(plaintext, aad ?? null, null, nonce, key);
  return [asBuffer(r.ciphertext), asBuffer(r.mac)];
}

function aeadOpen(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer | null {
  try {
    return asBuffer(sodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(null, ciphertext, tag, aad ?? null, nonce, key));
  } catch {
    return null; // libsodium throws on a bad tag (or a tag of the wrong length)
  }
}

function aeadKey(raw: Uint8Array): AeadKey {
  const key = Uint8Array.from(raw);
  return {
    seal: (nonce, plaintext, aad) => aeadSeal(key, nonce, plaintext, aad),
    open: (nonce, ciphertext, tag, aad) => aeadOpen(key, nonce, ciphertext, tag, aad),
  };
}

function x25519GenerateKeyPair(): { privateRaw: Buffer; publicRaw: Buffer } {
  const privateRaw = randomBytes(32);
  return { privateRaw, publicRaw: x25519PublicKey(privateRaw) };
}

function x25519PublicKey(privateRaw: Uint8Array): Buffer {
  return asBuffer(sodium.crypto_scalarmult_base(privateRaw));
}

function x25519SharedSecret(privateRaw: Uint8Array, peerRaw: Uint8Array): Buffer | null {
  try {
    return asBuffer(sodium.crypto_scalarmult(privateRaw, peerRaw));
  } catch {
    return null; // libsodium refuses low-order points ("weak public key")
  }
}

/** RFC 5869 on HMAC-SHA-256 (an empty salt is the same HMAC key as HashLen zero bytes). */
export function hkdfSha256ByHmac(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Buffer {
  if (length > 255 * 32) throw new Error('HKDF-SHA-256: output too long');
  const prk = createHmac('sha256', salt.length > 0 ? salt : Buffer.alloc(32)).update(ikm).digest();
  const blocks: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; blocks.length * 32 < length; i++) {
    t = createHmac('sha256', prk).update(t).update(info).update(Buffer.from([i])).digest();
    blocks.push(t);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

async function scrypt(password: Uint8Array, salt: Uint8Array, { N, r, p, dkLen }: ScryptParams): Promise<Buffer> {
  const maxmem = 128 * N * r * 2 + 128 * r * p + 64 * 1024 * 1024;
  return asBuffer(await scryptAsync(password, salt, { N, r, p, dkLen, maxmem }));
}

export const fallbackPrimitives: Primitives = {
  aeadKey,
  aeadSeal,
  aeadOpen,
  x25519GenerateKeyPair,
  x25519PublicKey,
  x25519SharedSecret,
  hkdfSha256: hkdfSha256ByHmac,
  scrypt,
};

let ready: Promise<void> | null = null;

/** Loads and starts libsodium's WebAssembly module once. */
export function loadFallback(): Promise<void> {
  ready ??= import('libsodium-wrappers').then(async (m) => {
    const lib = ((m as { default?: typeof Sodium }).default ?? m) as typeof Sodium;
    await lib.ready;
    sodium = lib;
  });
  ready.catch(() => (ready = null));
  return ready;
}

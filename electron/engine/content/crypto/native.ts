/**
 * The primitives on node:crypto (OpenSSL in Node: the fast path). Electron's BoringSSL lacks some of them (no
 * 'chacha20-poly1305' in createCipheriv, electron/electron#24024), so each one is probed with its known-answer vector
 * (`probeNative`) before use; see ./backend.ts.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  scrypt,
  scryptSync,
  type CipherChaCha20Poly1305,
  type DecipherChaCha20Poly1305,
  type KeyObject,
} from 'node:crypto';
import { checkChaCha, checkHkdf, checkX25519, SCRYPT_VECTOR } from './vectors.js';
import type { AeadKey, PrimitiveName, Primitives, ScryptParams } from './types.js';

const TAG = 16;
/** DER prefix of an X25519 PKCS#8 private key; the raw 32 bytes follow. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
/**
 * Private KeyObjects by raw key. Importing PKCS#8 DER costs ~2 ms with OpenSSL 3 (its decoder chain), so an identity
 * that opens many packs, or an ephemeral key just generated, is imported once. Least recently used entries leave first.
 */
const privateKeys = new Map<string, KeyObject>();
const PRIVATE_KEY_CACHE = 16;

function remember(raw: string, key: KeyObject): KeyObject {
  privateKeys.delete(raw);
  privateKeys.set(raw, key);
  if (privateKeys.size > PRIVATE_KEY_CACHE) privateKeys.delete(privateKeys.keys().next().value as string);
  return key;
}

function privateKeyOf(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  return remember(id, privateKeys.get(id) ?? createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' }));
}

function x25519GenerateKeyPair(): { privateRaw: Buffer; publicRaw: Buffer } {
  const { privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const privateRaw = Buffer.from(jwk.d!, 'base64url');
  remember(privateRaw.toString('base64'), privateKey);
  return { privateRaw, publicRaw: Buffer.from(jwk.x!, 'base64url') };
}

type Key = KeyObject | Uint8Array;

function aeadSeal(key: Key, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): [Buffer, Buffer] {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG }) as CipherChaCha20Poly1305;
  if (aad) c.setAAD(aad, { plaintextLength: plaintext.length });
  const ct = c.update(plaintext);
  c.final();
  return [ct, c.getAuthTag()];
}

function aeadOpen(key: Key, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer | null {
  if (tag.length !== TAG) return null;
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG }) as DecipherChaCha20Poly1305;
  if (aad) d.setAAD(aad, { plaintextLength: ciphertext.length });
  d.setAuthTag(tag);
  const plain = d.update(ciphertext);
  try {
    d.final();
  } catch {
    return null;
  }
  return plain;
}

/** A KeyObject made once: cheaper per chunk than passing raw key bytes to every createCipheriv. */
function aeadKey(raw: Uint8Array): AeadKey {
  const key = createSecretKey(raw);
  return {
    seal: (nonce, plaintext, aad) => aeadSeal(key, nonce, plaintext, aad),
    open: (nonce, ciphertext, tag, aad) => aeadOpen(key, nonce, ciphertext, tag, aad),
  };
}

function x25519PublicKey(privateRaw: Uint8Array): Buffer {
  return Buffer.from(createPublicKey(privateKeyOf(privateRaw)).export({ format: 'jwk' }).x!, 'base64url');
}

function x25519SharedSecret(privateRaw: Uint8Array, peerRaw: Uint8Array): Buffer | null {
  let shared: Buffer;
  try {
    // JWK import of a raw public key: ~7x cheaper than SPKI DER with OpenSSL 3.
    const x = Buffer.from(peerRaw.buffer, peerRaw.byteOffset, peerRaw.byteLength).toString('base64url');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
    shared = diffieHellman({ privateKey: privateKeyOf(privateRaw), publicKey });
  } catch {
    return null; // OpenSSL refuses an all-zero result
  }
  return shared.every((b) => b === 0) ? null : shared;
}

function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

function scryptMaxmem({ N, r, p }: ScryptParams): number {
  return 128 * N * r * 2 + 128 * r * p + 64 * 1024 * 1024;
}

function scryptAsync(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const { N, r, p, dkLen } = params;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, dkLen, { N, r, p, maxmem: scryptMaxmem(params) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export const nativePrimitives: Primitives = {
  aeadKey,
  aeadSeal,
  aeadOpen,
  x25519GenerateKeyPair,
  x25519PublicKey,
  x25519SharedSecret,
  hkdfSha256,
  scrypt: scryptAsync,
};

function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** Which primitives node:crypto really provides here, by running each known-answer vector (~1 ms in all). */
export function probeNative(): Record<PrimitiveName, boolean> {
  const v = SCRYPT_VECTOR;
  return {
    chacha20Poly1305: passes(() => checkChaCha(nativePrimitives)),
    x25519: passes(() => checkX25519(nativePrimitives)),
    hkdf: passes(() => checkHkdf(nativePrimitives)),
    scrypt: passes(() => {
      const key = scryptSync(v.password, v.salt, v.params.dkLen, { ...v.params, maxmem: scryptMaxmem(v.params) });
      if (!key.equals(v.key)) throw new Error('scrypt known answer mismatch');
    }),
  };
}

/** The four primitives the content layer needs, as one interface implemented by node:crypto and by the fallback. */

/** ChaCha20-Poly1305 (RFC 8439, 12-byte nonce, 16-byte tag) under one key. */
export interface AeadKey {
  /** Returns [ciphertext, tag] (two buffers: callers write them without a concatenation copy). */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): [Buffer, Buffer];
  /** The plaintext, or null when the tag does not authenticate. */
  open(nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer | null;
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  dkLen: number;
}

export interface Primitives {
  /** A ChaCha20-Poly1305 key (32 bytes), prepared once for many seal/open calls. */
  aeadKey(key: Uint8Array): AeadKey;
  /** One-shot ChaCha20-Poly1305 seal (cheaper than aeadKey() for a single message): [ciphertext, tag]. */
  aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): [Buffer, Buffer];
  /** One-shot open: the plaintext, or null when the tag does not authenticate. */
  aeadOpen(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer | null;
  /** A fresh X25519 key pair, raw 32-byte keys. */
  x25519GenerateKeyPair(): { privateRaw: Buffer; publicRaw: Buffer };
  /** X25519(privateRaw, 9): the raw 32-byte public key of a raw 32-byte private key (RFC 7748). */
  x25519PublicKey(privateRaw: Uint8Array): Buffer;
  /** X25519(privateRaw, peerRaw), or null when the result is all zeros (low-order peer). */
  x25519SharedSecret(privateRaw: Uint8Array, peerRaw: Uint8Array): Buffer | null;
  /** HKDF-SHA-256 (RFC 5869). */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Buffer;
  /** scrypt (RFC 7914), off the event loop (thread pool, or a JS loop that yields). */
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Buffer>;
}

export type PrimitiveName = 'chacha20Poly1305' | 'x25519' | 'hkdf' | 'scrypt';
export const PRIMITIVE_NAMES: readonly PrimitiveName[] = ['chacha20Poly1305', 'x25519', 'hkdf', 'scrypt'];

/** Buffer view of a Uint8Array, without a copy. */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

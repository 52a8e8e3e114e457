/**
 * Known-answer vectors, used to decide at run time whether a native primitive works (and to check the fallback):
 * ChaCha20-Poly1305 RFC 8439 §2.8.2, X25519 RFC 7748 §6.1, HKDF-SHA-256 RFC 5869 A.1, scrypt RFC 7914 §12 (first vector).
 */
import type { Primitives } from './types.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

export const CHACHA_VECTOR = {
  key: hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
  nonce: hex('070000004041424344454647'),
  aad: hex('50515253c0c1c2c3c4c5c6c7'),
  plaintext: Buffer.from("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."),
  ciphertext: hex(`d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b
    1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de5
    76d26586cec64b6116`),
  tag: hex('1ae10b594f09e26a7e902ecbd0600691'),
};

export const X25519_VECTOR = {
  alicePrivate: hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
  alicePublic: hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
  bobPrivate: hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
  bobPublic: hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
  shared: hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'),
};

export const HKDF_VECTOR = {
  ikm: Buffer.alloc(22, 0x0b),
  salt: hex('000102030405060708090a0b0c'),
  info: hex('f0f1f2f3f4f5f6f7f8f9'),
  okm: hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'),
};

export const SCRYPT_VECTOR = {
  password: Buffer.alloc(0),
  salt: Buffer.alloc(0),
  params: { N: 16, r: 1, p: 1, dkLen: 64 },
  key: hex(`77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906`),
};

/** Seals and opens the RFC 8439 vector; a flipped tag must be refused. Throws on any mismatch. */
export function checkChaCha(p: Pick<Primitives, 'aeadKey' | 'aeadSeal' | 'aeadOpen'>): void {
  const v = CHACHA_VECTOR;
  const key = p.aeadKey(v.key);
  const [ct, tag] = key.seal(v.nonce, v.plaintext, v.aad);
  if (!ct.equals(v.ciphertext) || !tag.equals(v.tag)) throw new Error('ChaCha20-Poly1305 known answer mismatch');
  const plain = key.open(v.nonce, v.ciphertext, v.tag, v.aad);
  if (!plain || !plain.equals(v.plaintext)) throw new Error('ChaCha20-Poly1305 open of the known answer failed');
  const bad = Buffer.from(v.tag);
  bad[0] ^= 1;
  if (key.open(v.nonce, v.ciphertext, bad, v.aad) !== null) throw new Error('ChaCha20-Poly1305 accepted a bad tag');
  const [ct1, tag1] = p.aeadSeal(v.key, v.nonce, v.plaintext, v.aad);
  if (!ct1.equals(v.ciphertext) || !tag1.equals(v.tag)) throw new Error('ChaCha20-Poly1305 one-shot known answer mismatch');
  if (!p.aeadOpen(v.key, v.nonce, v.ciphertext, v.tag, v.aad)?.equals(v.plaintext)) throw new Error('ChaCha20-Poly1305 one-shot open failed');
  if (p.aeadOpen(v.key, v.nonce, v.ciphertext, bad, v.aad) !== null) throw new Error('ChaCha20-Poly1305 one-shot accepted a bad tag');
  const [emptyCt, emptyTag] = key.seal(v.nonce, Buffer.alloc(0));
  const emptyPlain = key.open(v.nonce, emptyCt, emptyTag);
  if (emptyCt.length !== 0 || !emptyPlain || emptyPlain.length !== 0) throw new Error('ChaCha20-Poly1305 empty message round trip failed');
}

export function checkX25519(p: Pick<Primitives, 'x25519GenerateKeyPair' | 'x25519PublicKey' | 'x25519SharedSecret'>): void {
  const v = X25519_VECTOR;
  if (!p.x25519PublicKey(v.alicePrivate).equals(v.alicePublic) || !p.x25519PublicKey(v.bobPrivate).equals(v.bobPublic)) {
    throw new Error('X25519 public key known answer mismatch');
  }
  const ab = p.x25519SharedSecret(v.alicePrivate, v.bobPublic);
  const ba = p.x25519SharedSecret(v.bobPrivate, v.alicePublic);
  if (!ab?.equals(v.shared) || !ba?.equals(v.shared)) throw new Error('X25519 shared secret known answer mismatch');
  if (p.x25519SharedSecret(v.alicePrivate, Buffer.alloc(32)) !== null) throw new Error('X25519 accepted a low-order point');
  const fresh = p.x25519GenerateKeyPair();
  if (fresh.privateRaw.length !== 32 || !p.x25519PublicKey(fresh.privateRaw).equals(fresh.publicRaw)) throw new Error('X25519 key generation inconsistent');
  const withFresh = p.x25519SharedSecret(fresh.privateRaw, v.alicePublic);
  if (!withFresh || !withFresh.equals(p.x25519SharedSecret(v.alicePrivate, fresh.publicRaw) ?? Buffer.alloc(0))) {
    throw new Error('X25519 shared secret with a fresh key pair disagrees');
  }
}

export function checkHkdf(p: Pick<Primitives, 'hkdfSha256'>): void {
  const v = HKDF_VECTOR;
  if (!p.hkdfSha256(v.ikm, v.salt, v.info, v.okm.length).equals(v.okm)) throw new Error('HKDF-SHA-256 known answer mismatch');
}

export async function checkScrypt(p: Pick<Primitives, 'scrypt'>): Promise<void> {
  const v = SCRYPT_VECTOR;
  if (!(await p.scrypt(v.password, v.salt, v.params)).equals(v.key)) throw new Error('scrypt known answer mismatch');
}

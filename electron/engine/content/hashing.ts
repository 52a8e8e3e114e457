/**
 * Keyed blob ids and small sealed records.
 *
 * - deriveKeys(writerKey): HKDF-SHA-256(ikm = writerKey, salt = empty, info = "rempart/v1/blob-id" | "rempart/v1/seal"), 32 bytes each.
 * - blobId(idKey, data) = hex HMAC-SHA-256(idKey, data): names reveal nothing without the writer key.
 * - seal(sealKey, plaintext) = 0x01 || nonce(12, random) || ChaCha20-Poly1305(sealKey, nonce, plaintext, aad = 0x01) || tag(16).
 * HKDF and ChaCha20-Poly1305 come from ./crypto (node:crypto, or libsodium WebAssembly where node:crypto lacks them).
 */
import { createHash, createHmac, createSecretKey, randomBytes, type Hmac, type KeyObject } from 'node:crypto';
import { RempartError } from '../base/errors.js';
import { primitives } from './crypto/index.js';

export const KEY_BYTES = 32;
export const ID_KEY_INFO = 'rempart/v1/blob-id';
export const SEAL_KEY_INFO = 'rempart/v1/seal';
export const SEAL_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SEAL_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

export interface WriterKeys {
  /** HMAC key naming blobs. */
  idKey: Buffer;
  /** Symmetric key sealing writer-readable records (the index, the writer's cache). */
  sealKey: Buffer;
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function checkKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new RempartError('INVALID_INPUT', `${what} must be ${KEY_BYTES} bytes`);
}

export function deriveKeys(writerKey: Buffer): WriterKeys {
  checkKey(writerKey, 'writer key');
  const derive = (info: string) => primitives().hkdfSha256(writerKey, Buffer.alloc(0), info, KEY_BYTES);
  return { idKey: derive(ID_KEY_INFO), sealKey: derive(SEAL_KEY_INFO) };
}

/**
 * The id key as a KeyObject, made once per key: given a Buffer, createHmac prepares a secret key object on every call,
 * which on Node 24 costs as much as hashing a 16 KiB chunk (blob ids are computed for every chunk read).
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(idKey: Buffer): KeyObject {
  let k = keyObjects.get(idKey);
  if (!k) keyObjects.set(idKey, (k = createSecretKey(idKey)));
  return k;
}

/** Keyed blob id: lowercase hex HMAC-SHA-256. */
export function blobId(idKey: Buffer, data: Uint8Array): string {
  return createHmac('sha256', keyObject(idKey)).update(data).digest('hex');
}

/** Incremental blob id: `update()` pieces, then `digest('hex')`. Same value as blobId over the concatenation. */
export function blobIdHasher(idKey: Buffer): Hmac {
  return createHmac('sha256', keyObject(idKey));
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const AAD = Buffer.from([SEAL_VERSION]);

export function seal(sealKey: Buffer, plaintext: Uint8Array): Buffer {
  checkKey(sealKey, 'seal key');
  const nonce = randomBytes(NONCE_BYTES);
  const [ct, tag] = primitives().aeadSeal(sealKey, nonce, plaintext, AAD);
  return Buffer.concat([AAD, nonce, ct, tag]);
}

export function open(sealKey: Buffer, sealed: Buffer): Buffer {
  checkKey(sealKey, 'seal key');
  if (sealed.length < SEAL_OVERHEAD) throw new RempartError('DATA_CORRUPT', `sealed record too short (${sealed.length} bytes)`);
  if (sealed[0] !== SEAL_VERSION) throw new RempartError('DATA_CORRUPT', `unknown sealed record version ${sealed[0]}`);
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tagStart = sealed.length - TAG_BYTES;
  const plain = primitives().aeadOpen(sealKey, nonce, sealed.subarray(1 + NONCE_BYTES, tagStart), sealed.subarray(tagStart), AAD);
  if (!plain) throw new RempartError('DATA_CORRUPT', 'sealed record failed authentication (wrong writer key or corrupted)');
  return plain;
}

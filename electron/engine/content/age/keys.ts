/**
 * age X25519 keys: Bech32 encodings (`age1…` recipients, `AGE-SECRET-KEY-1…` identities) and the Diffie-Hellman
 * primitive, on node:crypto KeyObjects (raw 32-byte keys wrapped in fixed PKCS#8 / SPKI DER prefixes).
 */
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { bech32 } from '@scure/base';
import { RempartError } from '../../base/errors.js';

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';
/** DER prefixes of an X25519 PKCS#8 private key and SPKI public key; the raw 32 bytes follow. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface X25519Identity {
  privateKey: KeyObject;
  /** Raw 32-byte public key of the identity. */
  publicRaw: Buffer;
}

function invalid(message: string): RempartError {
  return new RempartError('INVALID_INPUT', message);
}

function decodeBech32(s: string, hrp: string, what: string): Buffer {
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) throw invalid(`${what}: mixed case`);
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32.decode(lower as `${string}1${string}`, 200);
  } catch (err) {
    throw invalid(`${what}: invalid Bech32 (${(err as Error).message})`);
  }
  if (decoded.prefix !== hrp) throw invalid(`${what}: unexpected prefix "${decoded.prefix}"`);
  const bytes = Buffer.from(bech32.fromWords(decoded.words));
  if (bytes.length !== 32) throw invalid(`${what}: wrong key length`);
  return bytes;
}

export function encodeRecipient(publicRaw: Uint8Array): string {
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(publicRaw), 200);
}

export function encodeIdentity(privateRaw: Uint8Array): string {
  return bech32.encode(IDENTITY_HRP, bech32.toWords(privateRaw), 200).toUpperCase();
}

export function decodeRecipient(recipient: string): Buffer {
  return decodeBech32(recipient.trim(), RECIPIENT_HRP, 'age recipient');
}

export function privateKeyFromRaw(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function publicRawOf(key: KeyObject): Buffer {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

export function privateRawOf(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return der.subarray(der.length - 32);
}

/** Parses every `AGE-SECRET-KEY-1…` line of a string (a key file: `#` comments and blank lines are skipped). */
export function parseIdentities(identity: string): X25519Identity[] {
  const lines = identity
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw invalid('age identity: empty');
  return lines.map((line) => {
    const privateKey = privateKeyFromRaw(decodeBech32(line, IDENTITY_HRP, 'age identity'));
    return { privateKey, publicRaw: publicRawOf(privateKey) };
  });
}

/** Parses one `AGE-SECRET-KEY-1…` string (the first identity of a key file). */
export function parseIdentity(identity: string): X25519Identity {
  return parseIdentities(identity)[0];
}

/** A fresh X25519 identity and its recipient. */
export function generateIdentity(): { identity: string; recipient: string } {
  const { privateKey } = generateKeyPairSync('x25519');
  return { identity: encodeIdentity(privateRawOf(privateKey)), recipient: encodeRecipient(publicRawOf(privateKey)) };
}

/** The `age1…` recipient of an `AGE-SECRET-KEY-1…` identity. */
export function recipientOf(identity: string): string {
  return encodeRecipient(parseIdentity(identity).publicRaw);
}

/** X25519(privateKey, peer). Returns null for a low-order peer (all-zero shared secret). */
export function x25519(privateKey: KeyObject, peerRaw: Buffer): Buffer | null {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(peerRaw) });
  } catch {
    return null; // OpenSSL refuses an all-zero result
  }
  return shared.every((b) => b === 0) ? null : shared;
}

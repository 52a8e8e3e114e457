/**
 * age X25519 keys: Bech32 encodings (`age1…` recipients, `AGE-SECRET-KEY-1…` identities) of raw 32-byte keys, and the
 * Diffie-Hellman primitive (from ../crypto: node:crypto or libsodium WebAssembly).
 */
import { bech32 } from '@scure/base';
import { RempartError } from '../../base/errors.js';
import { primitives } from '../crypto/index.js';

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';
export interface X25519Identity {
  /** Raw 32-byte private key (scalar, clamped by X25519 itself). */
  privateRaw: Buffer;
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

/** Parses every `AGE-SECRET-KEY-1…` line of a string (a key file: `#` comments and blank lines are skipped). */
export function parseIdentities(identity: string): X25519Identity[] {
  const lines = identity
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw invalid('age identity: empty');
  return lines.map((line) => {
    const privateRaw = decodeBech32(line, IDENTITY_HRP, 'age identity');
    return { privateRaw, publicRaw: primitives().x25519PublicKey(privateRaw) };
  });
}

/** Parses one `AGE-SECRET-KEY-1…` string (the first identity of a key file). */
export function parseIdentity(identity: string): X25519Identity {
  return parseIdentities(identity)[0];
}

/** A fresh X25519 identity and its recipient. */
export function generateIdentity(): { identity: string; recipient: string } {
  const { privateRaw, publicRaw } = primitives().x25519GenerateKeyPair();
  return { identity: encodeIdentity(privateRaw), recipient: encodeRecipient(publicRaw) };
}

/** The `age1…` recipient of an `AGE-SECRET-KEY-1…` identity. */
export function recipientOf(identity: string): string {
  return encodeRecipient(parseIdentity(identity).publicRaw);
}

/** X25519(privateRaw, peer). Returns null for a low-order peer (all-zero shared secret). */
export function x25519(privateRaw: Buffer, peerRaw: Buffer): Buffer | null {
  return primitives().x25519SharedSecret(privateRaw, peerRaw);
}

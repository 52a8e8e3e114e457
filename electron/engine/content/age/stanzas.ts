/**
 * age recipient stanzas (X25519, scrypt), file-key wrapping and the header MAC (primitives from ../crypto).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RempartError } from '../../base/errors.js';
import { ensureCryptoReady, primitives } from '../crypto/index.js';
import { corrupt, decodeB64, encodeB64, finishHeader, headerMacInput, type ParsedHeader, type Stanza } from './format.js';
import { decodeRecipient, parseIdentities, x25519, type X25519Identity } from './keys.js';

export type AgeRecipient = { type: 'x25519'; recipient: string } | { type: 'scrypt'; passphrase: string; workFactor?: number };
export type AgeIdentity = { type: 'x25519'; identity: string } | { type: 'scrypt'; passphrase: string; maxWorkFactor?: number };

export const FILE_KEY_BYTES = 16;
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
export const MAX_SCRYPT_WORK_FACTOR = 22;
const X25519_LABEL = 'age-encryption.org/v1/X25519';
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
const ZERO_NONCE = Buffer.alloc(12);

function hkdf(ikm: Buffer, salt: Buffer, info: string, length = 32): Buffer {
  return primitives().hkdfSha256(ikm, salt, info, length);
}

function aeadSeal(key: Buffer, plaintext: Buffer): Buffer {
  return Buffer.concat(primitives().aeadSeal(key, ZERO_NONCE, plaintext));
}

/** Returns null when authentication fails (the stanza is not for this key). */
function aeadOpen(key: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < 16) return null;
  return primitives().aeadOpen(key, ZERO_NONCE, sealed.subarray(0, sealed.length - 16), sealed.subarray(sealed.length - 16));
}

function scryptKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const label = Buffer.concat([Buffer.from(SCRYPT_LABEL, 'latin1'), salt]);
  return primitives().scrypt(Buffer.from(passphrase, 'utf8'), label, { N: 2 ** logN, r: 8, p: 1, dkLen: 32 });
}

function x25519Stanza(fileKey: Buffer, recipient: string): Stanza {
  const recipientRaw = decodeRecipient(recipient);
  const { privateRaw: ephemeral, publicRaw: share } = primitives().x25519GenerateKeyPair();
  const shared = x25519(ephemeral, recipientRaw);
  if (!shared) throw new RempartError('INVALID_INPUT', 'age recipient: low-order X25519 point');
  const key = hkdf(shared, Buffer.concat([share, recipientRaw]), X25519_LABEL);
  return { type: 'X25519', args: [encodeB64(share)], body: aeadSeal(key, fileKey) };
}

async function scryptStanza(fileKey: Buffer, passphrase: string, workFactor: number): Promise<Stanza> {
  if (!Number.isInteger(workFactor) || workFactor < 1 || workFactor > MAX_SCRYPT_WORK_FACTOR) {
    throw new RempartError('INVALID_INPUT', `scrypt work factor out of range: ${workFactor}`);
  }
  const salt = randomBytes(16);
  const key = await scryptKey(passphrase, salt, workFactor);
  return { type: 'scrypt', args: [encodeB64(salt), String(workFactor)], body: aeadSeal(key, fileKey) };
}

export function headerMac(fileKey: Buffer, macInput: Buffer): Buffer {
  return createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(macInput).digest();
}

/** Builds a complete header (with MAC) wrapping `fileKey` for every recipient. */
export async function buildHeader(fileKey: Buffer, recipients: AgeRecipient[]): Promise<Buffer> {
  await ensureCryptoReady();
  if (recipients.length === 0) throw new RempartError('INVALID_INPUT', 'age: no recipients');
  if (recipients.some((r) => r.type === 'scrypt') && recipients.length > 1) {
    throw new RempartError('INVALID_INPUT', 'age: a scrypt (passphrase) recipient must be the only recipient');
  }
  const stanzas: Stanza[] = [];
  for (const r of recipients) {
    if (r.type === 'x25519') stanzas.push(x25519Stanza(fileKey, r.recipient));
    else if (r.type === 'scrypt') stanzas.push(await scryptStanza(fileKey, r.passphrase, r.workFactor ?? DEFAULT_SCRYPT_WORK_FACTOR));
    else throw new RempartError('INVALID_INPUT', `age: unknown recipient type ${(r as { type: string }).type}`);
  }
  const macInput = headerMacInput(stanzas);
  return finishHeader(macInput, headerMac(fileKey, macInput));
}

function unwrapX25519(stanzas: Stanza[], identity: string): Buffer | null {
  const ids = parseIdentities(identity);
  for (const s of stanzas) {
    if (s.type !== 'X25519') continue;
    const share = s.args.length === 1 ? decodeB64(s.args[0]) : null;
    if (!share || share.length !== 32 || s.body.length !== 32) throw corrupt('malformed X25519 stanza');
    for (const id of ids) {
      const fileKey = unwrapWith(id, share, s.body);
      if (fileKey) return fileKey;
    }
  }
  return null;
}

function unwrapWith(id: X25519Identity, share: Buffer, body: Buffer): Buffer | null {
  const shared = x25519(id.privateRaw, share);
  if (!shared) throw corrupt('X25519 stanza with a low-order share');
  return aeadOpen(hkdf(shared, Buffer.concat([share, id.publicRaw]), X25519_LABEL), body);
}

async function unwrapScrypt(stanzas: Stanza[], passphrase: string, maxWorkFactor: number): Promise<Buffer | null> {
  const s = stanzas.find((st) => st.type === 'scrypt');
  if (!s) return null;
  const salt = s.args.length === 2 ? decodeB64(s.args[0]) : null;
  const logN = s.args.length === 2 && /^[1-9][0-9]?$/.test(s.args[1]) ? Number(s.args[1]) : NaN;
  if (!salt || salt.length !== 16 || !Number.isInteger(logN) || s.body.length !== 32) throw corrupt('malformed scrypt stanza');
  if (logN > maxWorkFactor) throw corrupt(`scrypt work factor ${logN} is above the accepted maximum ${maxWorkFactor}`);
  return aeadOpen(await scryptKey(passphrase, salt, logN), s.body);
}

/**
 * Finds the file key with the first identity that opens a stanza, then verifies the header MAC.
 * No match: WRONG_PASSPHRASE. Malformed stanza or bad MAC: DATA_CORRUPT.
 */
export async function unwrapFileKey(header: ParsedHeader, identities: AgeIdentity[]): Promise<Buffer> {
  await ensureCryptoReady();
  if (header.stanzas.length > 1 && header.stanzas.some((s) => s.type === 'scrypt')) {
    throw corrupt('a scrypt stanza must be the only stanza of the header');
  }
  let fileKey: Buffer | null = null;
  for (const id of identities) {
    if (id.type === 'x25519') fileKey = unwrapX25519(header.stanzas, id.identity);
    else if (id.type === 'scrypt') fileKey = await unwrapScrypt(header.stanzas, id.passphrase, id.maxWorkFactor ?? MAX_SCRYPT_WORK_FACTOR);
    if (fileKey) break;
  }
  if (!fileKey) throw new RempartError('WRONG_PASSPHRASE', 'age: no identity matches any recipient stanza (wrong key or passphrase)');
  if (fileKey.length !== FILE_KEY_BYTES) throw corrupt('wrapped file key has the wrong length');
  const mac = headerMac(fileKey, header.macInput);
  if (!timingSafeEqual(mac, header.mac)) throw corrupt('header MAC mismatch');
  return fileKey;
}

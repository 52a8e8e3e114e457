/**
 * Whole-buffer age encryption / decryption and random-access opening of an age file.
 */
import { dearmor, isArmored, parseHeader, tryParseHeader, corrupt, MAX_HEADER_BYTES } from './format.js';
import { CHUNK_SIZE, ciphertextSize, PayloadReader, type ReadAt } from './payload.js';
import { unwrapFileKey, type AgeIdentity, type AgeRecipient } from './stanzas.js';
import { startEncryption } from './streams.js';

/**
 * Encrypts a whole buffer to an age v1 binary file. With `into` large enough, the file is written at its start and the
 * result is a view of it (a caller that seals many packs reuses one buffer instead of allocating one per pack).
 * `plaintext` may itself lie at the start of `into` (encryption in place: no second buffer of the file's size).
 */
export async function encrypt(plaintext: Buffer, recipients: AgeRecipient[], into?: Buffer): Promise<Buffer> {
  const { prefix, cipher } = await startEncryption(recipients);
  const size = ciphertextSize(plaintext.length, prefix.length - 16);
  const out = into && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size);
  if (out.buffer === plaintext.buffer && out.byteOffset === plaintext.byteOffset) {
    // In place, last chunk first: chunk i's ciphertext goes to prefix + i × (64 KiB + 16), at or after where its own
    // plaintext starts, so it only covers plaintext already encrypted (chunks ≥ i); the header goes in last.
    const chunks = Math.max(1, Math.ceil(plaintext.length / CHUNK_SIZE));
    for (let i = chunks - 1; i >= 0; i--) {
      const off = i * CHUNK_SIZE;
      const [ct, tag] = cipher.seal(i, i === chunks - 1, plaintext.subarray(off, Math.min(plaintext.length, off + CHUNK_SIZE)));
      const at = prefix.length + i * (CHUNK_SIZE + 16);
      tag.copy(out, at + ct.copy(out, at));
    }
    prefix.copy(out, 0);
    return out;
  }
  let pos = prefix.copy(out, 0);
  let counter = 0;
  let off = 0;
  do {
    const end = Math.min(plaintext.length, off + CHUNK_SIZE);
    const [ct, tag] = cipher.seal(counter++, end === plaintext.length, plaintext.subarray(off, end));
    pos += ct.copy(out, pos);
    pos += tag.copy(out, pos);
    off = end;
  } while (off < plaintext.length);
  return out;
}

/**
 * Encrypts a whole buffer into a list of pieces (header, then ciphertext and tag of each chunk) whose concatenation is the
 * age file: no contiguous copy (a 64 MiB copy costs about as much CPU as the encryption). Write them with a stream/writev.
 */
export async function encryptParts(plaintext: Buffer, recipients: AgeRecipient[]): Promise<{ parts: Buffer[]; size: number }> {
  const { prefix, cipher } = await startEncryption(recipients);
  const parts: Buffer[] = [prefix];
  let counter = 0;
  let off = 0;
  do {
    const end = Math.min(plaintext.length, off + CHUNK_SIZE);
    parts.push(...cipher.seal(counter++, end === plaintext.length, plaintext.subarray(off, end)));
    off = end;
  } while (off < plaintext.length);
  return { parts, size: ciphertextSize(plaintext.length, prefix.length - 16) };
}

/** Decrypts a whole age v1 file (binary or ASCII-armored). Errors: WRONG_PASSPHRASE, DATA_CORRUPT. */
export async function decrypt(ciphertext: Buffer, identities: AgeIdentity[]): Promise<Buffer> {
  const buf = isArmored(ciphertext) ? dearmor(ciphertext) : ciphertext;
  const header = parseHeader(buf);
  const fileKey = await unwrapFileKey(header, identities);
  const reader = await PayloadReader.open(async (o, l) => buf.subarray(o, o + l), fileKey, header.headerLength, buf.length);
  return reader.read(0, reader.plaintextSize);
}

/**
 * Opens an age file for random access: reads the header through `readAt` (4 KiB first, more if needed), unwraps the
 * file key with `identities`, and returns a reader of plaintext ranges.
 */
export async function openPayload(readAt: ReadAt, totalCiphertextSize: number, identities: AgeIdentity[]): Promise<PayloadReader> {
  let len = Math.min(totalCiphertextSize, 4096);
  for (;;) {
    const buf = await readAt(0, len);
    const header = tryParseHeader(buf);
    if (header) {
      const fileKey = await unwrapFileKey(header, identities);
      return PayloadReader.open(readAt, fileKey, header.headerLength, totalCiphertextSize);
    }
    if (len >= totalCiphertextSize || len > MAX_HEADER_BYTES) throw corrupt('truncated header');
    len = Math.min(totalCiphertextSize, len * 4);
  }
}

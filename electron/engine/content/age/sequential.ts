/**
 * Sequential age decryption driven by the caller (no Transform): feed ciphertext pieces as they arrive from a file or an
 * HTTP body, get back the plaintext 64 KiB chunks they complete. Used to stream a whole pack once (restore, check
 * --read-data) with one header unwrap and no random-access reads. Memory: one ciphertext chunk of staging.
 */
import { ensureCryptoReady } from '../crypto/index.js';
import { corrupt, MAX_HEADER_BYTES, tryParseHeader } from './format.js';
import { ChunkCipher, CT_CHUNK_SIZE, PAYLOAD_NONCE_SIZE, payloadKey, TAG_SIZE } from './payload.js';
import { unwrapFileKey, type AgeIdentity } from './stanzas.js';

export class SequentialDecryptor {
  private cipher: ChunkCipher | null = null;
  private head: Buffer | null = null;
  private readonly staging = Buffer.allocUnsafe(CT_CHUNK_SIZE);
  private fill = 0;
  private counter = 0;
  private finished = false;

  constructor(private readonly identities: AgeIdentity[]) {}

  /** Plaintext bytes returned so far. */
  plaintextBytes = 0;

  /**
   * Feeds the next ciphertext bytes; returns the plaintext chunks they complete (the last chunk is held back until
   * finish(), which checks the final-chunk flag). Errors: DATA_CORRUPT, WRONG_PASSPHRASE (header).
   */
  async push(data: Buffer): Promise<Buffer[]> {
    if (this.cipher) return this.consume(data);
    const buf = this.head ? Buffer.concat([this.head, data]) : data;
    const header = tryParseHeader(buf);
    if (!header || buf.length < header.headerLength + PAYLOAD_NONCE_SIZE) {
      if (buf.length > MAX_HEADER_BYTES + PAYLOAD_NONCE_SIZE) throw corrupt('header too large');
      this.head = Buffer.from(buf);
      return [];
    }
    await ensureCryptoReady();
    const fileKey = await unwrapFileKey(header, this.identities);
    const nonce = buf.subarray(header.headerLength, header.headerLength + PAYLOAD_NONCE_SIZE);
    this.cipher = new ChunkCipher(payloadKey(fileKey, nonce));
    this.head = null;
    return this.consume(buf.subarray(header.headerLength + PAYLOAD_NONCE_SIZE));
  }

  private open(chunk: Buffer, last: boolean): Buffer {
    const plain = this.cipher!.open(this.counter++, last, chunk);
    this.plaintextBytes += plain.length;
    return plain;
  }

  private consume(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let off = 0;
    while (off < data.length) {
      if (this.fill === CT_CHUNK_SIZE) {
        out.push(this.open(this.staging, false));
        this.fill = 0;
      }
      if (this.fill === 0 && data.length - off > CT_CHUNK_SIZE) {
        out.push(this.open(data.subarray(off, off + CT_CHUNK_SIZE), false));
        off += CT_CHUNK_SIZE;
        continue;
      }
      const take = Math.min(CT_CHUNK_SIZE - this.fill, data.length - off);
      data.copy(this.staging, this.fill, off, off + take);
      this.fill += take;
      off += take;
    }
    return out;
  }

  /** Decrypts the final chunk (authenticating the end of the file: truncation is detected here). */
  finish(): Buffer {
    if (this.finished) throw corrupt('decryptor already finished');
    this.finished = true;
    if (!this.cipher) throw corrupt('truncated header');
    if (this.fill === 0 && this.counter === 0) throw corrupt('truncated payload (no chunk)');
    if (this.fill === TAG_SIZE && this.counter > 0) throw corrupt('empty final chunk after data');
    if (this.fill < TAG_SIZE) throw corrupt('truncated payload (partial tag)');
    return this.open(this.staging.subarray(0, this.fill), true);
  }
}

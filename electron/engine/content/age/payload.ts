/**
 * age v1 payload: STREAM construction over ChaCha20-Poly1305 (from ../crypto: node:crypto or libsodium WebAssembly) with 64 KiB plaintext chunks.
 * Nonce of chunk i = 11-byte big-endian i || 1 byte last-chunk flag. Payload key = HKDF-SHA-256(file key, salt = 16-byte
 * nonce written after the header, info "payload"). Only the first chunk may be empty, and only when the whole payload is.
 */
import { ensureCryptoReady, primitives, type AeadKey } from '../crypto/index.js';
import { corrupt } from './format.js';

export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const CT_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const PAYLOAD_NONCE_SIZE = 16;

export function payloadKey(fileKey: Buffer, nonce: Buffer): Buffer {
  return primitives().hkdfSha256(fileKey, nonce, 'payload', 32);
}

/** Encrypts and decrypts STREAM chunks with one reusable nonce buffer. */
export class ChunkCipher {
  private readonly nonce = Buffer.alloc(12);
  private readonly key: AeadKey;
  constructor(key: Buffer) {
    this.key = primitives().aeadKey(key);
  }

  private setNonce(counter: number, last: boolean): Buffer {
    if (counter > 0xffffffffffff) throw corrupt('payload too large');
    this.nonce.writeUIntBE(counter, 5, 6);
    this.nonce[11] = last ? 1 : 0;
    return this.nonce;
  }

  /** Returns [ciphertext, tag] (two buffers: no concatenation copy). */
  seal(counter: number, last: boolean, plain: Buffer): [Buffer, Buffer] {
    return this.key.seal(this.setNonce(counter, last), plain);
  }

  /** Decrypts one chunk (ciphertext || tag); DATA_CORRUPT if it does not authenticate. */
  open(counter: number, last: boolean, sealed: Buffer): Buffer {
    if (sealed.length < TAG_SIZE) throw corrupt('truncated payload chunk');
    const tagStart = sealed.length - TAG_SIZE;
    const plain = this.key.open(this.setNonce(counter, last), sealed.subarray(0, tagStart), sealed.subarray(tagStart));
    if (!plain) throw corrupt(`payload chunk ${counter} failed authentication (bit flip, truncation or wrong file)`);
    return plain;
  }
}

/** Geometry of a payload given the ciphertext payload size (everything after the 16-byte nonce). */
export interface PayloadGeometry {
  chunks: number;
  plaintextSize: number;
}

export function payloadGeometry(payloadCiphertextSize: number): PayloadGeometry {
  if (payloadCiphertextSize < TAG_SIZE) throw corrupt('truncated payload');
  const chunks = Math.ceil(payloadCiphertextSize / CT_CHUNK_SIZE);
  const lastSize = payloadCiphertextSize - (chunks - 1) * CT_CHUNK_SIZE;
  if (lastSize < TAG_SIZE) throw corrupt('truncated payload (partial tag)');
  if (lastSize === TAG_SIZE && chunks > 1) throw corrupt('empty final chunk after data (truncated or extended payload)');
  return { chunks, plaintextSize: payloadCiphertextSize - chunks * TAG_SIZE };
}

/** Ciphertext size of an age file for a plaintext of `plainSize` bytes with a header of `headerLength` bytes. */
export function ciphertextSize(plainSize: number, headerLength: number): number {
  const chunks = Math.max(1, Math.ceil(plainSize / CHUNK_SIZE));
  return headerLength + PAYLOAD_NONCE_SIZE + plainSize + chunks * TAG_SIZE;
}

export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** Random access to the plaintext of an age file, decrypting only the 64 KiB chunks a range touches. */
export class PayloadReader {
  private constructor(
    /** The file key (callers may cache it to reopen the same file without the identity). */
    readonly fileKey: Buffer,
    readonly headerLength: number,
    private readonly readAt: ReadAt,
    private readonly cipher: ChunkCipher,
    private readonly payloadStart: number,
    private readonly payloadCtSize: number,
    private readonly geometry: PayloadGeometry,
  ) {}

  static async open(readAt: ReadAt, fileKey: Buffer, headerLength: number, totalCiphertextSize: number): Promise<PayloadReader> {
    await ensureCryptoReady();
    const payloadStart = headerLength + PAYLOAD_NONCE_SIZE;
    const geometry = payloadGeometry(totalCiphertextSize - payloadStart);
    const nonce = await readAt(headerLength, PAYLOAD_NONCE_SIZE);
    if (nonce.length !== PAYLOAD_NONCE_SIZE) throw corrupt('truncated payload nonce');
    const cipher = new ChunkCipher(payloadKey(fileKey, nonce));
    return new PayloadReader(fileKey, headerLength, readAt, cipher, payloadStart, totalCiphertextSize - payloadStart, geometry);
  }

  get plaintextSize(): number {
    return this.geometry.plaintextSize;
  }

  /** Plaintext bytes [start, end). Reaching the end verifies the final-chunk flag. */
  async read(start: number, end: number): Promise<Buffer> {
    const size = this.geometry.plaintextSize;
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= size)) {
      throw corrupt(`range [${start}, ${end}) outside the payload (${size} bytes)`);
    }
    if (start === end && end < size) return Buffer.alloc(0);
    // An empty range at the very end still authenticates the final chunk (detects a truncated file).
    const first = start === end ? this.geometry.chunks - 1 : Math.floor(start / CHUNK_SIZE);
    const last = start === end ? first : Math.ceil(end / CHUNK_SIZE) - 1;
    const ctStart = first * CT_CHUNK_SIZE;
    const ctEnd = Math.min(this.payloadCtSize, (last + 1) * CT_CHUNK_SIZE);
    const ct = await this.readAt(this.payloadStart + ctStart, ctEnd - ctStart);
    if (ct.length !== ctEnd - ctStart) throw corrupt('short read inside the payload (truncated file)');
    const out = Buffer.allocUnsafe(end - start);
    let written = 0;
    for (let i = first; i <= last; i++) {
      const off = (i - first) * CT_CHUNK_SIZE;
      const plain = this.cipher.open(i, i === this.geometry.chunks - 1, ct.subarray(off, Math.min(ct.length, off + CT_CHUNK_SIZE)));
      const chunkStart = i * CHUNK_SIZE;
      const from = Math.max(start, chunkStart) - chunkStart;
      const to = Math.min(end, chunkStart + plain.length) - chunkStart;
      if (to > from) written += plain.copy(out, written, from, to);
    }
    return out;
  }
}

/** The plaintext bytes [plainStart, plainEnd) of an age file whose file key is known. */
export async function decryptRange(
  readAt: ReadAt,
  fileKey: Buffer,
  headerLength: number,
  plainStart: number,
  plainEnd: number,
  totalCiphertextSize: number,
): Promise<Buffer> {
  const reader = await PayloadReader.open(readAt, fileKey, headerLength, totalCiphertextSize);
  return reader.read(plainStart, plainEnd);
}

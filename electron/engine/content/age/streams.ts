/**
 * Streaming age encryption / decryption as Node Transforms. Memory stays bounded (one 64 KiB staging chunk);
 * input already aligned on whole chunks is encrypted in place without copying.
 */
import { randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ensureCryptoReady } from '../crypto/index.js';
import { corrupt, MAX_HEADER_BYTES, tryParseHeader } from './format.js';
import { CHUNK_SIZE, ChunkCipher, CT_CHUNK_SIZE, PAYLOAD_NONCE_SIZE, payloadKey, TAG_SIZE } from './payload.js';
import { buildHeader, FILE_KEY_BYTES, unwrapFileKey, type AgeIdentity, type AgeRecipient } from './stanzas.js';

export interface EncryptionStart {
  /** Header bytes followed by the payload nonce. */
  prefix: Buffer;
  cipher: ChunkCipher;
}

/** A fresh file key, its header for `recipients`, the payload nonce and the chunk cipher. */
export async function startEncryption(recipients: AgeRecipient[]): Promise<EncryptionStart> {
  await ensureCryptoReady();
  const fileKey = randomBytes(FILE_KEY_BYTES);
  const header = await buildHeader(fileKey, recipients);
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  return { prefix: Buffer.concat([header, nonce]), cipher: new ChunkCipher(payloadKey(fileKey, nonce)) };
}

/** Shared chunk staging: `emit(chunk, last)` is called for each chunk of `size` bytes; a full chunk is held until more data arrives. */
abstract class ChunkedTransform extends Transform {
  private readonly staging: Buffer;
  private fill = 0;
  protected counter = 0;

  constructor(private readonly size: number) {
    super();
    this.staging = Buffer.allocUnsafe(size);
  }

  protected abstract process(chunk: Buffer, last: boolean): void;

  protected consume(data: Buffer): void {
    const size = this.size;
    let off = 0;
    while (off < data.length) {
      if (this.fill === size) {
        this.process(this.staging, false);
        this.counter++;
        this.fill = 0;
      }
      if (this.fill === 0 && data.length - off > size) {
        this.process(data.subarray(off, off + size), false);
        this.counter++;
        off += size;
        continue;
      }
      const take = Math.min(size - this.fill, data.length - off);
      data.copy(this.staging, this.fill, off, off + take);
      this.fill += take;
      off += take;
    }
  }

  protected finishChunks(): void {
    this.process(this.staging.subarray(0, this.fill), true);
    this.counter++;
  }

  protected get pending(): number {
    return this.fill;
  }
}

class EncryptStream extends ChunkedTransform {
  private cipher: ChunkCipher | null = null;
  private readonly starting: Promise<EncryptionStart>;

  constructor(recipients: AgeRecipient[]) {
    super(CHUNK_SIZE);
    this.starting = startEncryption(recipients);
    this.starting.catch(() => undefined); // reported by the first _transform/_flush
  }

  private async start(): Promise<void> {
    if (this.cipher) return;
    const { prefix, cipher } = await this.starting;
    this.push(prefix);
    this.cipher = cipher;
  }

  protected process(chunk: Buffer, last: boolean): void {
    const [ct, tag] = this.cipher!.seal(this.counter, last, chunk);
    this.push(ct);
    this.push(tag);
  }

  override _transform(data: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.cipher) {
      this.consume(data);
      cb();
      return;
    }
    this.start().then(() => {
      this.consume(data);
      cb();
    }, cb);
  }

  override _flush(cb: TransformCallback): void {
    this.start().then(() => {
      this.finishChunks();
      cb();
    }, cb);
  }
}

class DecryptStream extends ChunkedTransform {
  private cipher: ChunkCipher | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly identities: AgeIdentity[]) {
    super(CT_CHUNK_SIZE);
  }

  protected process(chunk: Buffer, last: boolean): void {
    if (last && chunk.length === TAG_SIZE && this.counter > 0) throw corrupt('empty final chunk after data');
    this.push(this.cipher!.open(this.counter, last, chunk));
  }

  /** Accumulates header bytes; once the header and the nonce are complete, unwraps the file key. */
  private async readHeader(data: Buffer): Promise<void> {
    this.head.push(data);
    this.headBytes += data.length;
    const buf = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
    this.head = [buf];
    const header = tryParseHeader(buf);
    if (!header || buf.length < header.headerLength + PAYLOAD_NONCE_SIZE) {
      if (this.headBytes > MAX_HEADER_BYTES + PAYLOAD_NONCE_SIZE) throw corrupt('header too large');
      return;
    }
    const fileKey = await unwrapFileKey(header, this.identities);
    const nonce = buf.subarray(header.headerLength, header.headerLength + PAYLOAD_NONCE_SIZE);
    this.cipher = new ChunkCipher(payloadKey(fileKey, nonce));
    this.head = [];
    this.consume(buf.subarray(header.headerLength + PAYLOAD_NONCE_SIZE));
  }

  override _transform(data: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.cipher) {
      try {
        this.consume(data);
        cb();
      } catch (err) {
        cb(err as Error);
      }
      return;
    }
    this.readHeader(data).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (!this.cipher) throw corrupt('truncated header');
      if (this.pending === 0 && this.counter === 0) throw corrupt('truncated payload (no chunk)');
      this.finishChunks();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

/** Plaintext in, age v1 binary file out. */
export function createEncryptStream(recipients: AgeRecipient[]): Transform {
  return new EncryptStream(recipients);
}

/** age v1 binary file in, plaintext out. Errors: WRONG_PASSPHRASE, DATA_CORRUPT. */
export function createDecryptStream(identities: AgeIdentity[]): Transform {
  return new DecryptStream(identities);
}

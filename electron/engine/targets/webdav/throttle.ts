/**
 * Upload metering: a token bucket shared by all uploads of a store (the cap is for the shop's line, not per file),
 * and a Transform that counts bytes, hashes them, paces them through the bucket and reports progress.
 * KB means 1024 bytes.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Clock } from '../../base/clock.js';
import { RempartError } from '../../base/errors.js';
import { setAliveTimer } from './retry.js';

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  readonly rate: number; // bytes per second
  readonly burst: number;

  constructor(
    kbPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.rate = kbPerSecond * 1024;
    this.burst = Math.max(4096, Math.round(this.rate / 20)); // 50 ms worth of bytes
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Slice size that keeps pacing smooth. */
  get sliceBytes(): number {
    return Math.max(1024, Math.min(64 * 1024, this.burst));
  }

  /** Resolves when n bytes (n <= burst) may be sent. Calls are served in order. */
  take(n: number): Promise<void> {
    const run = this.queue.then(() => this.takeNow(Math.min(n, this.burst)));
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Takes n tokens at once, going into debt if needed, then waits the debt off. Because the refill is computed from
   * the time that really passed, a timer that fires late is compensated on the next call (no drift below the rate).
   */
  private async takeNow(n: number): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= n;
    if (this.tokens >= 0) return;
    const waitMs = Math.ceil((-this.tokens / this.rate) * 1000);
    await new Promise<void>((r) => setAliveTimer(this.clock, waitMs, r));
  }
}

export interface MeterOptions {
  expectedBytes: number;
  bucket?: TokenBucket;
  /** Called on every chunk that moved (watchdog re-arm). */
  onBytes?: (total: number) => void;
  /** Also compute sha256 (when the caller gave one to check). */
  sha256?: boolean;
  /** Compute md5 (default true); skipped once a server is known not to give content-MD5 ETags. */
  md5?: boolean;
}

/** Counts, hashes (md5, optional sha256) and paces the bytes of one upload. Fails if the source is longer or shorter. */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly md5: Hash | null;
  private readonly sha: Hash | null;
  md5Hex = '';
  sha256Hex = '';

  constructor(private readonly o: MeterOptions) {
    super({ highWaterMark: 64 * 1024 });
    this.sha = o.sha256 ? createHash('sha256') : null;
    this.md5 = o.md5 === false ? null : createHash('md5');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.bytes + chunk.length > this.o.expectedBytes) {
      cb(new RempartError('INVALID_INPUT', `write: the source is longer than the declared size ${this.o.expectedBytes}`));
      return;
    }
    if (this.o.bucket) {
      this.pace(chunk, this.o.bucket).then(() => cb(), cb);
      return;
    }
    // No cap: pass the chunk through synchronously. A promise per chunk cost ~0.1 s of CPU per 256 MiB sent from a
    // 64 KiB-chunk stream, and upload throughput is CPU-bound as soon as the machine is busy (see README.md).
    try {
      this.account(chunk);
      this.o.onBytes?.(this.bytes);
    } catch (err) {
      cb(err as Error);
      return;
    }
    cb(null, chunk);
  }

  private account(part: Buffer): void {
    this.md5?.update(part);
    this.sha?.update(part);
    this.bytes += part.length;
  }

  /** Capped: slices of the bucket's size, each sent once the bucket allows it. */
  private async pace(chunk: Buffer, bucket: TokenBucket): Promise<void> {
    const step = bucket.sliceBytes;
    for (let off = 0; off < chunk.length; off += step) {
      const part = chunk.subarray(off, Math.min(chunk.length, off + step));
      await bucket.take(part.length);
      this.account(part);
      this.push(part);
      this.o.onBytes?.(this.bytes);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.bytes !== this.o.expectedBytes) {
      cb(new RempartError('INVALID_INPUT', `write: the source ended after ${this.bytes} bytes, ${this.o.expectedBytes} declared`));
      return;
    }
    this.md5Hex = this.md5?.digest('hex') ?? '';
    if (this.sha) this.sha256Hex = this.sha.digest('hex');
    cb();
  }
}

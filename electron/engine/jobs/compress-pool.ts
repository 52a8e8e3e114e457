import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { freeNow } from '../base/buffers.js';
import { COMPRESS_BATCH_SOURCE, makeBatchCompressor, type CompressBatchReply, type CompressBatchRequest } from '../content/compress-batch.js';
import { BROTLI_QUALITY, MIN_COMPRESS_SIZE, preferredCodec, zstdParams } from '../content/compression.js';
import { sealThreadCompressor } from '../repository/seal-worker.js';
import type { Codec, StoredBlob } from '../repository/types.js';

/**
 * Compression (zstd; brotli where the runtime lacks zstd) off the engine's thread. Node's async zlib still spends about
 * a millisecond of the calling thread's time per call setting up each encoder; with thousands of blobs that starves the
 * reader. Here the engine's thread only copies the chunk into a batch buffer; the probe and the encoder
 * (content/compress-batch.ts: the content layer's rules, so blobs are identical to compressBlob's) run on another core:
 * first on the seal thread (repository/seal-worker.ts sealThreadCompressor), which also zips and encrypts the packs, so
 * a backup needs no thread of its own for this (each costs ~20 MB); then, with more cores, on compression workers of
 * their own. Where no thread can take a batch it is compressed here, by the same code. If a thread ends with batches
 * on it, their blobs fail (their backup reports it) and later ones go to the other threads, or are compressed here.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
const { randomBytes } = require('node:crypto');
${COMPRESS_BATCH_SOURCE}
parentPort.on('message', (m) => {
  const r = compressBatch(m);
  parentPort.postMessage(r, [r.input.buffer]);
});
`;

/**
 * Chunks travel in batches: a postMessage costs tens of microseconds on each side whatever its size, and a database file
 * gives thousands of 16 KiB chunks. The main thread copies each chunk into the batch's buffer (the only copy it makes:
 * the chunk is a view of the reader's buffer, valid only until the next read); a batch leaves when it holds BATCH_BYTES
 * or BATCH_COUNT chunks, or when the main thread yields (setImmediate), so a lone chunk never waits. Batch buffers come
 * back from the thread and are filled again: no gigabyte of short-lived buffers for the garbage collector.
 */
const BATCH_BYTES = 512 * 1024;
const BATCH_COUNT = 64;
/** Capacity of a batch buffer: a full batch plus the largest chunk (content's SINGLE_BLOB_MAX, 512 KiB). */
const BATCH_CAPACITY = 1024 * 1024;
/** A batch this small leaves in a copy of its own size (see send()). */
const SMALL_BATCH = 128 * 1024;
/**
 * Batch buffers kept for reuse: as many as can be in flight (MAX_COMPRESS_IN_FLIGHT_BYTES in backup.ts, 4 MiB, over
 * BATCH_BYTES, and one filling), so that none is dropped and allocated again.
 */
const MAX_SPARE_BUFFERS = 10;
/**
 * The worker's objects are few and short-lived; its big buffers live outside the V8 heap. A small young generation
 * keeps its heap (and the process's memory) small: newer V8s grow it to 64 MB or more on machines with much RAM.
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * A compressed chunk. Its data is a view of a batch buffer that returns to the pool once every chunk of the batch is
 * released: call release() when the bytes have been copied where they are kept (a pack builder copies them at once), and
 * never read `data` afterwards (a batch buffer that is not kept for reuse is freed at once, its views emptied). A chunk
 * never released only keeps its batch from being reused (the collector frees it).
 */
export interface PooledBlob extends StoredBlob {
  release(): void;
}

interface Job {
  offset: number;
  length: number;
  resolve: (out: { codec: Codec; data: Buffer; release: () => void }) => void;
  reject: (err: Error) => void;
}

/** A thread taking batches. */
interface Slot {
  /** Sends a batch (its buffer moves to the thread); resolves with the reply, the buffer given back, or rejects when the thread has ended. */
  post(request: CompressBatchRequest): Promise<CompressBatchReply>;
  /** Bytes sent and not yet answered. */
  busy: number;
  /** False once the thread has failed: no batch goes to it any more. */
  live: boolean;
  close(): Promise<void>;
}

const noop = () => undefined;

/** A compression worker of the pool's own (more cores than the engine's and the seal thread's). */
function ownWorker(): Slot | null {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: WORKER_HEAP_LIMITS });
  } catch {
    return null;
  }
  worker.unref();
  const waiting = new Map<number, { resolve: (r: CompressBatchReply) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  const slot: Slot = {
    busy: 0,
    live: true,
    post(request) {
      if (!slot.live) return Promise.reject(new Error('compression worker stopped'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...request, id }, [request.input.buffer as ArrayBuffer]);
      });
    },
    close: async () => {
      slot.live = false;
      await worker.terminate();
    },
  };
  const fail = () => {
    slot.live = false; // a pending batch must never wait for a dead worker
    for (const w of waiting.values()) w.reject(new Error('compression worker stopped'));
    waiting.clear();
  };
  worker.on('message', (m: CompressBatchReply) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.resolve(m);
  });
  worker.on('error', fail);
  worker.on('exit', fail);
  return slot;
}

export class CompressPool {
  private slots: Promise<Slot[]> | null = null;
  private readonly spare: Buffer[] = [];
  private buffer: Buffer | null = null;
  private batch: Job[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private allocated = 0;
  private reusedFrames = 0;
  private here: ReturnType<typeof makeBatchCompressor> | null = null;
  private readonly size: number;
  private readonly sealThread: boolean;
  private sealSlot: Slot | null = null;

  /**
   * `size` threads at most (the seal thread counts as one); `sealThread: false` keeps batches off the seal thread
   * (tests of the pool's own workers).
   */
  constructor(size = Math.max(1, Math.min(3, availableParallelism() - 1)), opts: { sealThread?: boolean } = {}) {
    this.size = size;
    this.sealThread = opts.sealThread ?? true;
  }

  /** The threads, started with the first batch (the seal thread may have to start and pass its probe first). */
  private threads(): Promise<Slot[]> {
    this.slots ??= (async () => {
      const slots: Slot[] = [];
      const onSeal = this.sealThread ? await sealThreadCompressor().catch(() => null) : null;
      if (onSeal) {
        const slot: Slot = { busy: 0, live: true, post: onSeal, close: async () => void (slot.live = false) };
        slots.push((this.sealSlot = slot));
      }
      while (slots.length < this.size) {
        const own = ownWorker();
        if (!own) break;
        slots.push(own);
      }
      return slots;
    })();
    return this.slots;
  }

  /** Where batches go: whether the seal thread takes them, and how many workers of the pool's own (tests). */
  async threadsInUse(): Promise<{ sealThread: boolean; own: number }> {
    const live = (await this.threads()).filter((s) => s.live);
    const sealThread = this.sealSlot !== null && this.sealSlot.live;
    return { sealThread, own: live.length - (sealThread ? 1 : 0) };
  }

  /** zstd frames made by a long-lived context (tests: the fast path is the one in use). */
  get zstdFramesReused(): number {
    return this.reusedFrames;
  }

  /** Batch buffers allocated so far (the others were released ones, filled again). */
  get buffersAllocated(): number {
    return this.allocated;
  }

  private allocate(size: number): Buffer {
    this.allocated++;
    return Buffer.allocUnsafeSlow(size);
  }

  /** A batch buffer whose blobs are all released: kept to be filled again, or freed now (nothing reads it any more). */
  private giveBack(buf: Buffer): void {
    if (buf.byteLength === BATCH_CAPACITY && this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(buf);
    else freeNow(buf);
  }

  private send(): void {
    const jobs = this.batch;
    let input = this.buffer;
    if (jobs.length === 0 || !input) return;
    this.batch = [];
    const bytes = this.batchBytes;
    this.batchBytes = 0;
    if (bytes <= SMALL_BATCH) {
      // a batch sent early (the reader yielded) travels in a buffer of its size: the 1 MiB one stays here to be filled
      // again, rather than a 1 MiB buffer per few chunks in flight
      const own = Buffer.allocUnsafeSlow(bytes); // never from Buffer's shared pool, which cannot be transferred
      input.copy(own, 0, 0, bytes);
      input = own;
    } else this.buffer = null;
    const codec = preferredCodec(); // the content layer's choice, so blobs are identical to compressBlob's
    const request: CompressBatchRequest = {
      id: 0,
      input,
      items: jobs.map((j) => [j.offset, j.length]),
      quality: BROTLI_QUALITY,
      codec,
      zstdParams: codec === 'zstd' ? zstdParams() : null,
    };
    void this.threads().then((slots) => this.dispatch(request, jobs, bytes, slots));
  }

  private dispatch(request: CompressBatchRequest, jobs: Job[], bytes: number, slots: Slot[]): void {
    let slot: Slot | null = null;
    for (const s of slots) if (s.live && (!slot || s.busy < slot.busy)) slot = s;
    if (!slot) {
      // no thread takes batches: the same compressor, here
      this.here ??= makeBatchCompressor();
      this.settle(jobs, this.here(request));
      return;
    }
    const to = slot;
    to.busy += bytes;
    to.post(request).then(
      (reply) => {
        to.busy -= bytes;
        this.settle(jobs, reply);
      },
      (err: unknown) => {
        // the thread ended with the batch on it: its buffer went with it, and so did these blobs
        to.live = false;
        to.busy -= bytes;
        for (const job of jobs) job.reject(new Error(`compression stopped: ${(err as Error)?.message ?? err}`));
      },
    );
  }

  private settle(jobs: Job[], m: CompressBatchReply): void {
    const buf = Buffer.from(m.input.buffer, m.input.byteOffset, m.input.byteLength);
    this.reusedFrames += m.reused ?? 0;
    const outs = m.error ? null : m.outs;
    if (!outs) {
      this.giveBack(buf);
      for (const job of jobs) job.reject(new Error(m.error ?? 'compression failed'));
      return;
    }
    // the blobs are views of the batch buffer: it is refilled only once each of them is released
    let held = jobs.length;
    const release = () => {
      if (--held === 0) this.giveBack(buf);
    };
    jobs.forEach((job, i) => {
      const [codec, at, length] = outs[i];
      let released = false;
      job.resolve({
        codec,
        data: buf.subarray(at, at + length),
        release: () => {
          if (!released) (released = true), release();
        },
      });
    });
  }

  /** Copies `plain` into the filling batch (synchronously: the caller's buffer may be reused as soon as this returns). */
  private viaThreads(plain: Buffer): Promise<{ codec: Codec; data: Buffer; release: () => void }> {
    if (this.buffer && this.batchBytes + plain.length > this.buffer.length) this.send();
    if (!this.buffer) this.buffer = this.spare.pop() ?? this.allocate(Math.max(BATCH_CAPACITY, plain.length));
    const offset = this.batchBytes;
    plain.copy(this.buffer, offset);
    this.batchBytes += plain.length;
    return new Promise((resolve, reject) => {
      this.batch.push({ offset, length: plain.length, resolve, reject });
      if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_COUNT) this.send();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.send();
        });
      }
    });
  }

  /**
   * Same result as content's compressBlob (probe, codec, saving rule), computed off this thread. `plain` is read
   * before this returns its promise (it may be a view of a buffer the caller reuses); the blob's data is a view of a
   * batch buffer, to be copied by whoever keeps it (a pack builder does) and then released (PooledBlob).
   */
  async compress(plain: Buffer): Promise<PooledBlob> {
    if (plain.length < MIN_COMPRESS_SIZE) return { codec: 'raw', data: Buffer.from(plain), rawLength: plain.length, release: noop };
    return { ...(await this.viaThreads(plain)), rawLength: plain.length };
  }

  async close(): Promise<void> {
    this.send();
    const slots = await (this.slots ?? Promise.resolve([]));
    await Promise.all(slots.map((s) => s.close()));
    this.spare.length = 0;
  }
}

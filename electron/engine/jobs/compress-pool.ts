import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  BROTLI_QUALITY,
  compressBlob,
  MIN_COMPRESS_SIZE,
  MIN_SAVING,
  preferredCodec,
  PROBE_FROM,
  PROBE_MAX_BITS,
  PROBE_SLICE,
  PROBE_SLICES,
  zstdParams,
} from '../content/compression.js';
import type { Codec, StoredBlob } from '../repository/types.js';

/**
 * Compression (zstd; brotli where the runtime lacks zstd) on a worker thread. Node's async zlib still spends about a
 * millisecond of main-thread time per call setting up each encoder; with thousands of blobs that starves the reader.
 * Here the main thread only copies the chunk into a batch buffer; the probe (content's sampleEntropy, same computation)
 * and the encoder run on another core. The codec, probe and saving rule are the content layer's (same constants), so
 * blobs are identical to compressBlob's. Where no worker can start, compressBlob runs here. If the worker dies, the
 * blobs it held fail (their backup reports it) and later ones are compressed here.
 *
 * zstd: node:zlib's public API makes a new encoder context per call (zstdCompressSync) and closes it after one frame;
 * with tens of thousands of small blobs, making contexts cost ~0.5 s of CPU per GB backed up. The worker keeps one
 * context and ends a frame per blob through the stream's own synchronous write (its `_handle.writeSync`, what
 * zstdCompressSync calls), into an output buffer of at least ZSTD_compressBound: each call ends its frame, and zstd sizes
 * that frame's tables to its input as with pledgedSrcSize. The frames are byte for byte those of zstdCompressSync: the
 * worker checks it at start on sample blobs, and any doubt then or later (a runtime without that internal, a frame that
 * does not end) falls back to zstdCompressSync for good.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
const MIN_SIZE = ${MIN_COMPRESS_SIZE}, MAX_BITS = ${PROBE_MAX_BITS}, SLICES = ${PROBE_SLICES}, SLICE = ${PROBE_SLICE}, KEEP = ${1 - MIN_SAVING};
const PROBE_FROM = ${PROBE_FROM};
const counts = new Uint32Array(256);
// content/compression.ts sampleEntropy, the same computation (compress-pool.test.ts compares the decisions)
function entropy(d) {
  counts.fill(0);
  let n = 0;
  const add = (from, to) => { for (let i = from; i < to; i++) counts[d[i]]++; n += to - from; };
  if (d.length <= SLICES * SLICE) add(0, d.length);
  else {
    const step = Math.floor((d.length - SLICE) / (SLICES - 1));
    for (let k = 0; k < SLICES; k++) add(k * step, k * step + SLICE);
  }
  if (n === 0) return 0;
  let bits = 0;
  for (let b = 0; b < 256; b++) { const c = counts[b]; if (c > 0) bits -= c * Math.log(c / n); }
  return bits / n / Math.LN2;
}
// content/compression.ts worthCompressing
function worth(d, codec) {
  return d.length >= MIN_SIZE && ((codec === 'zstd' && d.length < PROBE_FROM) || entropy(d) <= MAX_BITS);
}
const zstdOnce = (chunk, params) => zlib.zstdCompressSync(chunk, { params, pledgedSrcSize: chunk.length });
let zstdReused = undefined; // one long-lived encoder (see the comment in compress-pool.ts); null once ruled out
let reusedInBatch = 0;
function zstdBound(n) { return n + (n >>> 8) + (n < 131072 ? (131072 - n) >>> 11 : 0) + 64; }
function makeReusedZstd(params) {
  const stream = zlib.createZstdCompress({ params });
  const handle = stream._handle, state = stream._writeState, END = zlib.constants.ZSTD_e_end;
  if (!handle || typeof handle.writeSync !== 'function' || !state) throw new Error('no synchronous zstd handle');
  stream.on('error', () => undefined); // an encoder error destroys the stream (checked below) and is emitted later
  let out = Buffer.allocUnsafeSlow(1 << 20);
  return (chunk) => {
    if (out.length < zstdBound(chunk.length)) out = Buffer.allocUnsafeSlow(zstdBound(chunk.length));
    handle.writeSync(END, chunk, 0, chunk.length, out, 0, out.length);
    const availOut = state[0], availIn = state[1];
    if (stream.destroyed || availIn !== 0 || availOut === 0) throw new Error('zstd frame did not end');
    return out.subarray(0, out.length - availOut); // valid until the next call
  };
}
function zstdCompress(chunk, params) {
  if (zstdReused === undefined) {
    try {
      const reused = makeReusedZstd(params);
      const samples = [Buffer.from('facture;Élodie;12,50 €\\n'.repeat(900)), Buffer.alloc(5000), require('node:crypto').randomBytes(3000)];
      for (const s of [...samples, ...samples]) if (!reused(s).equals(zstdOnce(s, params))) throw new Error('frames differ');
      zstdReused = reused;
    } catch {
      zstdReused = null;
    }
  }
  if (zstdReused) {
    try {
      const frame = zstdReused(chunk);
      reusedInBatch++;
      return frame;
    } catch {
      zstdReused = null; // the context may be mid-frame: never used again
    }
  }
  return zstdOnce(chunk, params);
}
parentPort.on('message', ({ id, input, items, quality, codec, zstdParams }) => {
  // input: one buffer holding the batch's chunks side by side; items: [offset, length] of each. The outputs (compressed,
  // or the chunk itself when it does not shrink) go side by side into the same buffer, from its start: an output is never
  // longer than its chunk, so it only covers bytes already read (copy() allows overlap). No buffer is allocated per batch.
  const inBuf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    const outs = [];
    let pos = 0;
    reusedInBatch = 0;
    for (const [off, len] of items) {
      const chunk = inBuf.subarray(off, off + len);
      let packed = null;
      if (worth(chunk, codec)) {
        packed = codec === 'zstd'
          ? zstdCompress(chunk, zstdParams) // as compressBlob: tables sized to the chunk
          : zlib.brotliCompressSync(chunk, { params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: len,
        } });
        if (packed.length > len * KEEP) packed = null;
      }
      const bytes = packed ?? chunk;
      if (packed !== null || pos !== off) bytes.copy(inBuf, pos);
      outs.push([packed !== null ? codec : 'raw', pos, bytes.length]);
      pos += bytes.length;
    }
    parentPort.postMessage({ id, outs, input, reused: reusedInBatch }, [input.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err), input }, [input.buffer]);
  }
});
`;

/**
 * Chunks travel in batches: a postMessage costs tens of microseconds on each side whatever its size, and a database file
 * gives thousands of 16 KiB chunks. The main thread copies each chunk into the batch's buffer (the only copy it makes:
 * the chunk is a view of the reader's buffer, valid only until the next read); a batch leaves when it holds BATCH_BYTES
 * or BATCH_COUNT chunks, or when the main thread yields (setImmediate), so a lone chunk never waits. Batch buffers come
 * back from the worker and are filled again: no gigabyte of short-lived buffers for the garbage collector.
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
 * never read `data` afterwards. A chunk never released only keeps its batch from being reused (the collector frees it).
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

interface Slot {
  worker: Worker;
  /** Bytes sent and not yet answered. */
  busy: number;
}

interface Batch {
  jobs: Job[];
  bytes: number;
  slot: Slot;
}

interface Reply {
  id: number;
  outs?: [Codec, number, number][];
  /** Blobs of the batch compressed by the worker's long-lived zstd context. */
  reused?: number;
  input?: Uint8Array;
  error?: string;
}

const noop = () => undefined;

export class CompressPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Batch>();
  private readonly spare: Buffer[] = [];
  private buffer: Buffer | null = null;
  private batch: Job[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private nextId = 1;
  private broken = false;
  private allocated = 0;
  private reusedFrames = 0;

  constructor(size = Math.max(1, Math.min(3, availableParallelism() - 1))) {
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: WORKER_HEAP_LIMITS });
        worker.unref();
        const slot: Slot = { worker, busy: 0 };
        worker.on('message', (m: Reply) => {
          const b = this.pending.get(m.id);
          this.pending.delete(m.id);
          const buf = m.input ? Buffer.from(m.input.buffer, m.input.byteOffset, m.input.byteLength) : null;
          if (!b) return;
          slot.busy -= b.bytes;
          this.reusedFrames += m.reused ?? 0;
          const outs = m.error ? null : m.outs;
          if (!buf || !outs) {
            if (buf) this.giveBack(buf);
            for (const job of b.jobs) job.reject(new Error(m.error ?? 'compression failed'));
            return;
          }
          // the blobs are views of the batch buffer: it is refilled only once each of them is released
          let held = b.jobs.length;
          const release = () => {
            if (--held === 0) this.giveBack(buf);
          };
          b.jobs.forEach((job, i) => {
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
        });
        worker.on('error', () => this.fail());
        worker.on('exit', () => this.fail()); // a pending blob must never wait for a dead worker
        this.slots.push(slot);
      }
    } catch {
      this.fail();
    }
  }

  /** zstd frames made by a worker's long-lived context (tests: the fast path is the one in use). */
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

  private giveBack(buf: Buffer): void {
    if (buf.byteLength === BATCH_CAPACITY && this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(buf);
  }

  private fail(): void {
    this.broken = true;
    const err = new Error('compression worker stopped');
    for (const b of this.pending.values()) for (const j of b.jobs) j.reject(err);
    this.pending.clear();
    for (const j of this.batch) j.reject(err);
    this.batch = [];
    this.batchBytes = 0;
    this.buffer = null;
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
    if (this.broken || this.slots.length === 0) {
      for (const j of jobs) j.reject(new Error('compression worker stopped'));
      return;
    }
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    this.pending.set(id, { jobs, bytes, slot });
    slot.busy += bytes;
    const items = jobs.map((j) => [j.offset, j.length]);
    const codec = preferredCodec(); // the content layer's choice, so blobs are identical to compressBlob's
    slot.worker.postMessage(
      { id, input, items, quality: BROTLI_QUALITY, codec, zstdParams: codec === 'zstd' ? zstdParams() : null },
      [input.buffer as ArrayBuffer],
    );
  }

  /** Copies `plain` into the filling batch (synchronously: the caller's buffer may be reused as soon as this returns). */
  private viaWorker(plain: Buffer): Promise<{ codec: Codec; data: Buffer; release: () => void }> {
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
   * Same result as content's compressBlob (probe, codec, saving rule), computed off the main thread. `plain` is read
   * before this returns its promise (it may be a view of a buffer the caller reuses); the blob's data is a view of a
   * batch buffer, to be copied by whoever keeps it (a pack builder does) and then released (PooledBlob).
   */
  async compress(plain: Buffer): Promise<PooledBlob> {
    if (plain.length < MIN_COMPRESS_SIZE) return { codec: 'raw', data: Buffer.from(plain), rawLength: plain.length, release: noop };
    if (!this.broken && this.slots.length > 0) return { ...(await this.viaWorker(plain)), rawLength: plain.length };
    const { codec, data } = await compressBlob(Buffer.from(plain));
    return { codec, data, rawLength: plain.length, release: noop };
  }

  async close(): Promise<void> {
    this.send();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
    this.spare.length = 0;
  }
}

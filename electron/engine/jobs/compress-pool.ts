import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { BROTLI_QUALITY, compressBlob, MIN_COMPRESS_SIZE, MIN_SAVING, preferredCodec, PROBE_MAX_BITS, PROBE_SLICE, PROBE_SLICES, zstdParams } from '../content/compression.js';
import type { Codec, StoredBlob } from '../repository/types.js';

/**
 * Compression (zstd; brotli where the runtime lacks zstd) on worker threads. Node's async zlib still spends about a
 * millisecond of main-thread time per call setting up each encoder; with thousands of blobs that starves the reader. Here the main thread only copies the chunk (into an
 * exact-size buffer that travels without a copy); the probe (content's sampleEntropy, same computation) and the
 * encoder run on another core. The codec, probe and saving rule are the content layer's (same constants), so blobs are
 * identical to compressBlob's; any worker failure falls back to it.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
const MIN_SIZE = ${MIN_COMPRESS_SIZE}, MAX_BITS = ${PROBE_MAX_BITS}, SLICES = ${PROBE_SLICES}, SLICE = ${PROBE_SLICE}, KEEP = ${1 - MIN_SAVING};
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
parentPort.on('message', ({ id, items, quality, codec, zstdParams }) => {
  try {
    const outs = [];
    const transfer = [];
    const spent = [];
    for (const data of items) {
      const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      let out = null;
      if (input.length >= MIN_SIZE && entropy(input) <= MAX_BITS) {
        out = codec === 'zstd'
          ? zlib.zstdCompressSync(input, { params: zstdParams })
          : zlib.brotliCompressSync(input, { params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: input.length,
        } });
        if (out.length > input.length * KEEP) out = null;
        else if (out.byteOffset !== 0 || out.byteLength !== out.buffer.byteLength) out = Buffer.from(out);
      }
      // raw: the input itself goes back (it is an exact-size copy made for this trip)
      outs.push({ codec: out !== null ? codec : 'raw', data: out ?? data });
      transfer.push((out ?? data).buffer);
      if (out !== null) spent.push(data.buffer);
    }
    parentPort.postMessage({ id, outs, spent }, transfer.concat(spent));
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

/**
 * Chunks travel in batches: a postMessage costs tens of microseconds on each side whatever its size, and a
 * database file gives thousands of 16 KiB chunks. A batch leaves when it holds BATCH_BYTES or BATCH_COUNT chunks,
 * or when the main thread yields (setImmediate), so a lone chunk never waits.
 */
const BATCH_BYTES = 512 * 1024;
const BATCH_COUNT = 64;

interface Job {
  plain: Uint8Array;
  resolve: (out: { codec: Codec; data: Buffer }) => void;
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

export class CompressPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Batch>();
  private batch: Job[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private nextId = 1;
  private broken = false;

  constructor(size = Math.max(1, Math.min(3, availableParallelism() - 1))) {
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true });
        worker.unref();
        const slot: Slot = { worker, busy: 0 };
        worker.on('message', (m: { id: number; outs?: { codec: Codec; data: Uint8Array }[]; error?: string }) => {
          const b = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (!b) return;
          slot.busy -= b.bytes;
          b.jobs.forEach((job, i) => {
            const out = m.outs?.[i];
            if (out) job.resolve({ codec: out.codec, data: Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength) });
            else job.reject(new Error(m.error ?? 'compression failed'));
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

  private fail(): void {
    this.broken = true;
    const err = new Error('compression worker stopped');
    for (const b of this.pending.values()) for (const j of b.jobs) j.reject(err);
    this.pending.clear();
    for (const j of this.batch) j.reject(err);
    this.batch = [];
    this.batchBytes = 0;
  }

  private send(): void {
    const jobs = this.batch;
    if (jobs.length === 0) return;
    this.batch = [];
    const bytes = this.batchBytes;
    this.batchBytes = 0;
    if (this.broken || this.slots.length === 0) {
      for (const j of jobs) j.reject(new Error('compression worker stopped'));
      return;
    }
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    this.pending.set(id, { jobs, bytes, slot });
    slot.busy += bytes;
    const items = jobs.map((j) => j.plain);
    const codec = preferredCodec(); // the content layer's choice, so blobs are identical to compressBlob's
    slot.worker.postMessage({ id, items, quality: BROTLI_QUALITY, codec, zstdParams: codec === 'zstd' ? zstdParams() : null }, items.map((u) => u.buffer as ArrayBuffer));
  }

  private viaWorker(plain: Buffer): Promise<{ codec: Codec; data: Buffer }> {
    const copy = new Uint8Array(plain); // an exact copy, transferred: never the whole read buffer behind a view
    return new Promise((resolve, reject) => {
      this.batch.push({ plain: copy, resolve, reject });
      this.batchBytes += copy.byteLength;
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
   * Same result as content's compressBlob (probe, codec, saving rule), computed off the main thread; the blob's data
   * is always an exact-size buffer of its own.
   */
  async compress(plain: Buffer): Promise<StoredBlob> {
    if (plain.length < MIN_COMPRESS_SIZE) return { codec: 'raw', data: ownCopy(plain), rawLength: plain.length };
    if (!this.broken && this.slots.length > 0) {
      try {
        const out = await this.viaWorker(plain);
        return { codec: out.codec, data: out.data, rawLength: plain.length };
      } catch {
        // fall through to the in-process codec
      }
    }
    const { codec, data } = await compressBlob(plain);
    return { codec, data: codec === 'raw' ? ownCopy(data) : data, rawLength: plain.length };
  }

  async close(): Promise<void> {
    this.send();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** A chunk may be a view of a 1 MiB read buffer; a raw blob kept in a filling pack must not pin all of it. */
function ownCopy(data: Buffer): Buffer {
  return data.byteLength * 2 < data.buffer.byteLength ? Buffer.from(data) : data;
}

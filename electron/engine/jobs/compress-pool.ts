import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { BROTLI_QUALITY, compressBlob, looksCompressible, MIN_SAVING } from '../content/compression.js';
import type { StoredBlob } from '../repository/types.js';

/**
 * Brotli on worker threads. Node's async zlib still spends about a millisecond of main-thread time per call setting up
 * each encoder; with thousands of blobs that starves the reader. Here the main thread only probes (content's
 * looksCompressible) and copies the chunk; the encoder runs on another core. The codec, probe and saving rule are the
 * content layer's (same constants), so blobs are identical to compressBlob's; any worker failure falls back to it.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', ({ id, data, quality }) => {
  try {
    const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const out = zlib.brotliCompressSync(input, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: input.length,
    } });
    const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : Buffer.from(out);
    parentPort.postMessage({ id, out: own }, [own.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Pending {
  resolve: (out: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

export class CompressPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken = false;

  constructor(size = Math.max(1, Math.min(3, availableParallelism() - 1))) {
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true });
        worker.unref();
        const slot: Slot = { worker, busy: 0 };
        worker.on('message', (m: { id: number; out?: Uint8Array; error?: string }) => {
          slot.busy--;
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (!p) return;
          if (m.out) p.resolve(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
          else p.reject(new Error(m.error ?? 'compression failed'));
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
    for (const p of this.pending.values()) p.reject(new Error('compression worker stopped'));
    this.pending.clear();
  }

  private brotli(plain: Buffer): Promise<Buffer> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const copy = new Uint8Array(plain); // an exact copy, transferred: never the whole read buffer behind a view
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.busy++;
      slot.worker.postMessage({ id, data: copy, quality: BROTLI_QUALITY }, [copy.buffer]);
    });
  }

  /** Same result as content's compressBlob, computed off the main thread. */
  async compress(plain: Buffer): Promise<StoredBlob> {
    if (!looksCompressible(plain)) return { codec: 'raw', data: ownCopy(plain), rawLength: plain.length };
    if (!this.broken && this.slots.length > 0) {
      try {
        const out = await this.brotli(plain);
        if (out.length > plain.length * (1 - MIN_SAVING)) return { codec: 'raw', data: ownCopy(plain), rawLength: plain.length };
        return { codec: 'brotli', data: out, rawLength: plain.length };
      } catch {
        // fall through to the in-process codec
      }
    }
    const { codec, data } = await compressBlob(plain);
    return { codec, data: codec === 'raw' ? ownCopy(data) : data, rawLength: plain.length };
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** A chunk may be a view of a 1 MiB read buffer; a raw blob kept in a filling pack must not pin all of it. */
function ownCopy(data: Buffer): Buffer {
  return data.byteLength * 2 < data.buffer.byteLength ? Buffer.from(data) : data;
}

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { RempartError } from '../base/errors.js';
import { hasNativeZstd } from '../content/compression.js';
import { packPath } from './pack-builder.js';
import type { PackReader } from './pack-reader.js';
import type { IndexEntry } from './types.js';

/**
 * Blob decoding and verification (zstd/brotli decompression, length and keyed-id check) on worker threads, for the
 * streaming read path (restore, check --read-data). Node's async zlib costs main-thread time per call (a decoder is set
 * up each time, and every call is a trip through libuv's pool); here the main thread only copies the stored bytes into
 * a batch and the other cores do the work. Results are checked exactly like PackReader.verify (same messages and
 * codes); if the workers cannot run, that function is used instead.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const zstd = typeof zlib.zstdDecompressSync === 'function';
const { createHash, createHmac } = require('node:crypto');
const fs = require('node:fs');
const idKey = Buffer.from(workerData.idKey);
// A batch travels as one buffer each way (one transfer: per-buffer transfers cost more than the copies).
// A new small file of one blob: checked against its sha256, written to its temporary name, given its mode and
// times, renamed into place (synchronous calls, off the main thread).
function writeFile(f, plain) {
  if (plain.length !== f.size || (f.sha256 && createHash('sha256').update(plain).digest('hex') !== f.sha256)) return { error: 'content' };
  let created = false;
  try {
    const fd = fs.openSync(f.tmp, 'wx', 0o600);
    created = true;
    try {
      let done = 0;
      while (done < plain.length) done += fs.writeSync(fd, plain, done, plain.length - done);
      fs.fchmodSync(fd, f.mode);
      fs.futimesSync(fd, f.mtimeMs / 1000, f.mtimeMs / 1000);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(f.tmp, f.dest);
    return { written: true };
  } catch (err) {
    if (created) try { fs.rmSync(f.tmp, { force: true }); } catch {}
    return { error: 'fs', code: err && err.code, message: String((err && err.message) || err) };
  }
}
parentPort.on('message', ({ id, items, data }) => {
  const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let total = 0;
  for (const it of items) total += it.rawLength;
  const out = Buffer.allocUnsafeSlow(total);
  const outs = [];
  let pos = 0;
  let inPos = 0;
  for (const it of items) {
    const stored = input.subarray(inPos, inPos + it.length);
    inPos += it.length;
    const at = pos;
    pos += it.rawLength;
    let plain;
    if (it.codec === 'raw') plain = stored;
    else if (it.codec === 'brotli') {
      try {
        plain = zlib.brotliDecompressSync(stored, { maxOutputLength: Math.max(1, it.rawLength + 1), chunkSize: Math.max(64, it.rawLength + 1) });
      } catch (err) {
        outs.push({ error: 'decode', message: 'brotli blob does not decompress: ' + ((err && err.message) || err) });
        continue;
      }
    } else if (it.codec === 'zstd' && zstd) {
      try {
        plain = zlib.zstdDecompressSync(stored, { maxOutputLength: Math.max(1, it.rawLength + 1), chunkSize: Math.max(64, it.rawLength + 1) });
      } catch (err) {
        outs.push({ error: 'decode', message: 'zstd blob does not decompress: ' + ((err && err.message) || err) });
        continue;
      }
    } else if (it.codec === 'zstd') {
      outs.push({ error: 'fallback' }); // no zstd in this runtime's zlib: the main thread decodes it (pure JS)
      continue;
    } else {
      outs.push({ error: 'decode', message: 'unknown blob codec "' + it.codec + '"' });
      continue;
    }
    if (plain.length !== it.rawLength) {
      outs.push({ error: 'decode', message: 'blob length ' + plain.length + ' differs from the recorded ' + it.rawLength });
      continue;
    }
    if (createHmac('sha256', idKey).update(plain).digest('hex') !== it.id) {
      outs.push({ error: 'id' });
      continue;
    }
    if (it.file) {
      outs.push(writeFile(it.file, plain));
      continue;
    }
    plain.copy(out, at);
    outs.push({ at });
  }
  parentPort.postMessage({ id, outs, data: out }, [out.buffer]);
});
`;

const BATCH_BYTES = 1024 * 1024;
const BATCH_COUNT = 128;

type Out = { at: number } | { written: true } | { error: 'fallback' } | { error: 'decode'; message: string } | { error: 'id' } | { error: 'content' } | { error: 'fs'; code?: string; message: string };

/** A new file made of one blob, written by the worker that verified the blob. */
export interface SmallFile {
  tmp: string;
  dest: string;
  mode: number;
  mtimeMs: number;
  sha256?: string;
  size: number;
  /** For messages. */
  path: string;
}

interface Job {
  packId: string;
  entry: IndexEntry;
  stored: Buffer;
  file?: SmallFile;
  resolve: (plain: Buffer | 'written') => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { jobs: Job[]; bytes: number; slot: Slot }>();
  private batch: Job[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private nextId = 1;
  private broken = false;

  constructor(
    idKey: Buffer,
    private readonly fallback: PackReader,
    size = Math.max(1, Math.min(3, availableParallelism())),
  ) {
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { idKey: new Uint8Array(idKey) },
          // a small young generation: batch buffers die young and are freed soon (keeps RSS low)
          resourceLimits: { maxYoungGenerationSizeMb: 4 },
        });
        worker.unref();
        const slot: Slot = { worker, busy: 0 };
        worker.on('message', (m: { id: number; outs: Out[]; data: Uint8Array }) => this.answer(slot, m));
        worker.on('error', () => this.fail());
        worker.on('exit', () => this.fail());
        this.slots.push(slot);
      }
    } catch {
      this.fail();
    }
  }

  private answer(slot: Slot, m: { id: number; outs: Out[]; data: Uint8Array }): void {
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const b = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (!b) return;
    slot.busy -= b.bytes;
    b.jobs.forEach((job, i) => {
      const out = m.outs[i];
      const path = packPath(job.packId);
      if (out && 'at' in out) job.resolve(data.subarray(out.at, out.at + job.entry.rawLength));
      else if (out && 'written' in out) job.resolve('written');
      else if (out?.error === 'content') {
        const p = job.file?.path ?? '';
        job.reject(new RempartError('DATA_CORRUPT', `restored content of ${p} does not match its recorded hash`, { details: { path: p } }));
      } else if (out?.error === 'fs') job.reject(Object.assign(new Error(out.message), { code: out.code }));
      else if (out?.error === 'decode') {
        job.reject(new RempartError('DATA_CORRUPT', `${path}: blob ${job.entry.id} does not decode (${job.entry.codec}): ${out.message}`, { details: { path, pack: job.packId } }));
      } else if (out?.error === 'id') {
        job.reject(new RempartError('DATA_CORRUPT', `${path}: blob ${job.entry.id} does not match its id`, { details: { path, pack: job.packId, blob: job.entry.id } }));
      } else this.fallback.verify(job.packId, job.entry, job.stored).then(job.resolve, job.reject);
    });
  }

  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    const jobs = [...this.pending.values()].flatMap((b) => b.jobs).concat(this.batch);
    this.pending.clear();
    this.batch = [];
    this.batchBytes = 0;
    for (const j of jobs) this.fallback.verify(j.packId, j.entry, j.stored).then(j.resolve, j.reject);
  }

  /** The verified plaintext of a blob from its stored bytes (DATA_CORRUPT naming the pack otherwise). */
  verify(packId: string, entry: IndexEntry, stored: Buffer): Promise<Buffer> {
    return this.submit(packId, entry, stored) as Promise<Buffer>;
  }

  /**
   * Verifies a blob and, in the worker, writes it as the whole new file `file` (checked against its sha256 first).
   * Resolves 'written', or with the plaintext when the workers are unavailable (the caller writes it then).
   */
  verifyAndWrite(packId: string, entry: IndexEntry, stored: Buffer, file: SmallFile): Promise<Buffer | 'written'> {
    return this.submit(packId, entry, stored, file);
  }

  private submit(packId: string, entry: IndexEntry, stored: Buffer, file?: SmallFile): Promise<Buffer | 'written'> {
    // zstd without native support: straight to PackReader.verify (pure-JS decoder) rather than a trip to a worker that cannot decode it
    if (this.broken || (entry.codec === 'zstd' && !hasNativeZstd())) return this.fallback.verify(packId, entry, stored);
    return new Promise<Buffer | 'written'>((resolve, reject) => {
      this.batch.push({ packId, entry, stored, file, resolve, reject });
      this.batchBytes += stored.length;
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

  private send(): void {
    const jobs = this.batch;
    if (jobs.length === 0) return;
    this.batch = [];
    const bytes = this.batchBytes;
    this.batchBytes = 0;
    if (this.broken) {
      for (const j of jobs) this.fallback.verify(j.packId, j.entry, j.stored).then(j.resolve, j.reject);
      return;
    }
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    const data = Buffer.allocUnsafeSlow(bytes);
    let pos = 0;
    for (const j of jobs) pos += j.stored.copy(data, pos);
    const items = jobs.map((j) => ({ id: j.entry.id, codec: j.entry.codec, rawLength: j.entry.rawLength, length: j.stored.length, file: j.file }));
    this.pending.set(id, { jobs, bytes, slot });
    slot.busy += bytes;
    try {
      slot.worker.postMessage({ id, items, data }, [data.buffer]);
    } catch {
      this.fail();
    }
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    this.broken = true;
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}

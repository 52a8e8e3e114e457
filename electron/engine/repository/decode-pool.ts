import { Worker } from 'node:worker_threads';
import * as nodeCrypto from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as nodeZlib from 'node:zlib';
import { availableParallelism } from 'node:os';
import { RempartError } from '../base/errors.js';
import { hasNativeZstd } from '../content/compression.js';
import { PROCESSOR_SOURCE, type Processor } from './decode-processor.js';
import { packPath } from './pack-builder.js';
import type { PackReader } from './pack-reader.js';
import type { IndexEntry } from './types.js';

/**
 * Blob decoding and verification (zstd/brotli decompression, length and keyed-id check) on worker threads, for the
 * streaming read path (restore, check --read-data). The main thread only copies stored bytes into a batch buffer (reused:
 * workers hand it back) and the other cores do the rest (decode-processor.ts), including writing restored files, so
 * plaintext never comes back to the main thread unless asked for (`verify`). Failures carry the same messages and codes
 * as PackReader.verify. When workers cannot run, the same processor runs on the calling thread. zstd blobs on a runtime
 * without native zstd are decoded by PackReader (pure JS) first.
 */
const BATCH_BYTES = 1024 * 1024;
const BATCH_COUNT = 128;
const SPARE_BUFFERS = 8;
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
${PROCESSOR_SOURCE}
const p = createProcessor(workerData.idKey, require('node:fs'), require('node:crypto'), require('node:zlib'), workerData.createLock);
parentPort.on('message', ({ id, items, data, forgotten }) => {
  const { outs, out } = p.run(items, data, forgotten);
  const transfer = [data.buffer];
  if (out) transfer.push(out.buffer);
  parentPort.postMessage({ id, outs, data, out }, transfer);
});
`;

/** A whole new file made of one blob: written by the worker that verified the blob. */
export interface DirectFile {
  dest: string;
  size: number;
  /** When given, the file's content is checked against it before the file is created. */
  sha256?: string;
  mode: number;
  mtimeMs: number;
  /** For messages. */
  path: string;
}

/** A file written in parts: `tmp` exists (created empty by the caller); checked and moved into place by `finish`. */
export interface PartFile {
  /** Caller's id of the file (the workers keep a descriptor of its temporary file open between parts). */
  file: number;
  tmp: string;
  dest: string;
  size: number;
  /** When given, the finished file is read back and checked against it. */
  sha256?: string;
  mode: number;
  mtimeMs: number;
  /** Something is at dest: the file is left verified under `tmp` for the caller to keep the other aside. */
  existing: boolean;
  path: string;
}

export type BlobTarget = { direct: DirectFile } | { part: PartFile; position: number };
export type TargetResult = { ok: true } | { ok: false; error: unknown };

type Mode = 'check' | 'plain' | 'write' | 'finish';
type Out = { ok?: 1; at?: number; renamed?: 1; writes?: Out[]; error?: 'decode' | 'id' | 'fallback' | 'content' | 'fs'; code?: string; message?: string };

interface Job {
  mode: Mode;
  packId: string;
  entry: IndexEntry;
  /** Stored bytes (copied into the batch buffer at once: the caller's buffer is not kept). */
  length: number;
  targets?: BlobTarget[];
  finish?: PartFile;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
  forgotten: number[];
}

function wireItem(j: Job): unknown {
  const base = { id: j.entry.id, codec: j.entry.codec, rawLength: j.entry.rawLength, length: j.length, mode: j.mode };
  if (j.mode === 'finish') return { ...base, finish: j.finish };
  if (j.mode !== 'write') return base;
  const writes = j.targets!.map((t) => ('direct' in t ? { direct: t.direct } : { file: t.part.file, tmp: t.part.tmp, position: t.position }));
  return { ...base, writes };
}

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { jobs: Job[]; bytes: number; slot: Slot }>();
  private readonly spare: ArrayBuffer[] = [];
  private batch: Job[] = [];
  private batchBytes = 0;
  /** The batch being filled (stored bytes back to back). */
  private batchData: Buffer | null = null;
  private flushScheduled = false;
  private nextId = 1;
  private broken = false;
  private closed = false;
  private inline: Processor | null = null;
  private inlineForgotten: number[] = [];

  constructor(
    private readonly idKey: Buffer,
    private readonly fallback: PackReader,
    size = Math.max(1, Math.min(2, availableParallelism())),
  ) {
    const createLock = size > 1 && typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : undefined;
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { idKey: new Uint8Array(idKey), createLock },
          // a small young generation: decoded blobs die young and are freed soon (keeps RSS low)
          resourceLimits: { maxYoungGenerationSizeMb: 4 },
        });
        worker.unref();
        const slot: Slot = { worker, busy: 0, forgotten: [] };
        worker.on('message', (m: { id: number; outs: Out[]; data: Uint8Array; out: Uint8Array | null }) => this.answer(slot, m));
        worker.on('error', () => this.fail());
        worker.on('exit', () => this.fail());
        this.slots.push(slot);
      }
    } catch {
      this.fail();
    }
  }

  /** The verified plaintext of a blob from its stored bytes (DATA_CORRUPT naming the pack otherwise). */
  verify(packId: string, entry: IndexEntry, stored: Buffer): Promise<Buffer> {
    return this.submit('plain', packId, entry, stored) as Promise<Buffer>;
  }

  /** Verifies a blob without handing its plaintext back (check --read-data). */
  check(packId: string, entry: IndexEntry, stored: Buffer): Promise<void> {
    return this.submit('check', packId, entry, stored) as Promise<void>;
  }

  /**
   * Verifies a blob and writes it to each target. Rejects (DATA_CORRUPT) when the blob does not verify (nothing is
   * written then); otherwise resolves with one result per target (a file error, or a whole file whose sha256 differs).
   */
  write(packId: string, entry: IndexEntry, stored: Buffer, targets: BlobTarget[]): Promise<TargetResult[]> {
    return this.submit('write', packId, entry, stored, targets) as Promise<TargetResult[]>;
  }

  /** Checks a file written in parts (size, sha256), gives it its mode and times, renames it into place unless `existing`. */
  finish(file: PartFile): Promise<void> {
    const entry: IndexEntry = { id: '', offset: 0, length: 0, rawLength: 0, codec: 'raw' };
    return this.submit('finish', '', entry, Buffer.alloc(0), undefined, file) as Promise<void>;
  }

  /** Closes the workers' descriptors of a file written in parts (after its failure or finish). */
  forget(file: number): void {
    for (const s of this.slots) s.forgotten.push(file);
    if (this.inline) this.inlineForgotten.push(file);
  }

  private submit(mode: Mode, packId: string, entry: IndexEntry, stored: Buffer, targets?: BlobTarget[], finish?: PartFile): Promise<unknown> {
    if (mode !== 'finish' && entry.codec === 'zstd' && !hasNativeZstd()) {
      // no zstd in this runtime's zlib: PackReader's pure-JS decoder, then on as a raw blob (re-checked, cheap)
      const plain = this.fallback.verify(packId, entry, Buffer.from(stored));
      if (mode !== 'write') return mode === 'check' ? plain.then(() => undefined) : plain;
      return plain.then((p) => this.submit(mode, packId, { ...entry, codec: 'raw', length: p.length }, p, targets));
    }
    return new Promise((resolve, reject) => {
      const n = stored.length;
      if (this.batchData && this.batchBytes + n > this.batchData.length) this.send();
      if (!this.batchData) this.batchData = n > BATCH_BYTES ? Buffer.allocUnsafeSlow(n) : Buffer.from(this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
      stored.copy(this.batchData, this.batchBytes);
      this.batch.push({ mode, packId, entry, length: n, targets, finish, resolve, reject });
      this.batchBytes += n;
      if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_COUNT || mode === 'finish') this.send();
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
    const data = this.batchData!.subarray(0, bytes);
    this.batchData = null;
    const items = jobs.map(wireItem);
    if (this.broken || this.slots.length === 0) {
      this.runInline(jobs, items, data);
      if (data.buffer.byteLength === BATCH_BYTES && this.spare.length < SPARE_BUFFERS) this.spare.push(data.buffer as ArrayBuffer);
      return;
    }
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    // the work queued on a worker: stored bytes, a little per item, and the whole file for a finish (it is re-read)
    const weight = bytes + jobs.reduce((w, j) => w + 1024 + (j.finish?.size ?? 0), 0);
    this.pending.set(id, { jobs, bytes: weight, slot });
    slot.busy += weight;
    const forgotten = slot.forgotten;
    slot.forgotten = [];
    try {
      slot.worker.postMessage({ id, items, data, forgotten }, [data.buffer as ArrayBuffer]);
    } catch {
      this.fail();
    }
  }

  private runInline(jobs: Job[], items: unknown[], data: Buffer): void {
    if (!this.inline) {
      const make = new Function('idKey', 'fs', 'crypto', 'zlib', `${PROCESSOR_SOURCE}\nreturn createProcessor(idKey, fs, crypto, zlib);`);
      this.inline = make(new Uint8Array(this.idKey), nodeFs, nodeCrypto, nodeZlib) as Processor;
    }
    let r: { outs: unknown[]; out: Buffer | null };
    try {
      const forgotten = this.inlineForgotten;
      this.inlineForgotten = [];
      r = this.inline.run(items, data, forgotten);
    } catch (err) {
      for (const j of jobs) j.reject(err);
      return;
    }
    this.settle(jobs, r.outs as Out[], r.out);
  }

  private answer(slot: Slot, m: { id: number; outs: Out[]; data: Uint8Array; out: Uint8Array | null }): void {
    if (m.data.buffer.byteLength === BATCH_BYTES && this.spare.length < SPARE_BUFFERS) this.spare.push(m.data.buffer as ArrayBuffer);
    const b = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (!b) return;
    slot.busy -= b.bytes;
    this.settle(b.jobs, m.outs, m.out ? Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength) : null);
  }

  private settle(jobs: Job[], outs: Out[], out: Buffer | null): void {
    jobs.forEach((job, i) => {
      const o = outs[i];
      const path = packPath(job.packId);
      if (job.mode === 'finish') {
        if (o?.ok) return job.resolve(undefined);
        return job.reject(o ? this.targetError(o, job.finish!.path) : new RempartError('UNKNOWN', `the decode worker gave no answer for ${job.finish!.path}`));
      }
      if (!o || o.error === 'fallback') {
        return job.reject(new RempartError('UNKNOWN', `${path}: blob ${job.entry.id} could not be decoded here (${job.entry.codec})`, { details: { path, pack: job.packId } }));
      }
      if (o.error === 'decode') {
        return job.reject(new RempartError('DATA_CORRUPT', `${path}: blob ${job.entry.id} does not decode (${job.entry.codec}): ${o.message}`, { details: { path, pack: job.packId } }));
      }
      if (o.error === 'id') {
        return job.reject(new RempartError('DATA_CORRUPT', `${path}: blob ${job.entry.id} does not match its id`, { details: { path, pack: job.packId, blob: job.entry.id } }));
      }
      if (job.mode === 'plain') return job.resolve(out!.subarray(o.at!, o.at! + job.entry.rawLength));
      if (job.mode === 'check') return job.resolve(undefined);
      const results = (o.writes ?? []).map((w, k): TargetResult => {
        if (w.ok) return { ok: true };
        const t = job.targets![k];
        return { ok: false, error: this.targetError(w, 'direct' in t ? t.direct.path : t.part.path) };
      });
      job.resolve(results);
    });
  }

  private targetError(o: Out, path: string): unknown {
    if (o.error === 'content') return new RempartError('DATA_CORRUPT', `restored content of ${path} does not match its recorded hash`, { details: { path } });
    return Object.assign(new Error(o.message ?? 'write failed'), { code: o.code });
  }

  /**
   * A worker stopped (it should not: out of memory, a native crash). Its batches are lost with it (their bytes were handed
   * over, not kept): those blobs fail with an error saying so; what comes next runs on this thread.
   */
  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    if (this.closed) return;
    const lost = [...this.pending.values()].flatMap((b) => b.jobs);
    this.pending.clear();
    for (const j of lost) j.reject(new RempartError('UNKNOWN', `a decode worker stopped while verifying ${j.mode === 'finish' ? j.finish!.path : `blob ${j.entry.id}`}`));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.broken = true;
    this.inline?.close();
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}

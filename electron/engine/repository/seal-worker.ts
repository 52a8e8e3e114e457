/**
 * Seals packs (zip with archiver, age encryption, SHA-256: pack-seal.ts in memory, or pack-file.ts straight into a
 * local file through openPackFile) on a worker thread, so the main thread keeps
 * reading, chunking and hashing while a pack is built: archiver costs tens of microseconds per entry and a database
 * gives thousands of small blobs per pack. The worker is seal-thread.ts, built as its own file next to each bundle
 * (scripts/build.mjs); from the source tree (tests run through tsx) it is started through tsx's loader.
 * A known-answer probe runs once: what the worker writes must decrypt here (Electron's BoringSSL, for one, lacks
 * chacha20-poly1305 in createCipheriv; the content layer picks its backend per thread). Without a worker, or on any
 * doubt, packs are sealed on the calling thread: same function, same bytes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decrypt, generateIdentity } from '../content/age/index.js';
import type { CompressBatchReply, CompressBatchRequest } from '../content/compress-batch.js';
import { sha256Hex } from '../content/hashing.js';
import { PackFileWriter, type PackFileResult } from './pack-file.js';
import { sealPackData, type SealEntry, type SealInput, type SealOutput } from './pack-seal.js';

export type { SealEntry, SealInput, SealOutput } from './pack-seal.js';

interface Pending {
  /** The thread the request went to: its end fails the request, whichever thread is current by then. */
  w: Worker;
  input: Omit<SealInput, 'staging'>;
  resolve: (r: SealOutput & { staging: Buffer | null }) => void;
  reject: (err: Error) => void;
}

interface ReplyMessage {
  op?: 'pack-reply' | 'compress-reply';
  id: number;
  data?: Uint8Array;
  sha256?: string;
  dataOffsets?: number[];
  staging?: Uint8Array;
  error?: string;
}

/** REMPART_SEAL_THREAD=0 keeps sealing on the calling thread (diagnostics). */
let enabled = process.env.REMPART_SEAL_THREAD !== '0';
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
/** Requests about packs written to their files (openPackFile) and compression batches, by message id. */
const packRequests = new Map<number, { w: Worker; resolve: (m: PackReply & CompressBatchReply) => void; reject: (err: Error) => void }>();
let nextPack = 1;

interface PackReply {
  id: number;
  result?: PackFileResult;
  segment?: Uint8Array;
  error?: { message: string; code?: string; syscall?: string };
}
let verified: Promise<boolean> | null = null;

/**
 * How long a new seal thread may take to answer its probe. A thread that does not (seen in tests: a host test hung about
 * once in 10–15 runs with the probe of a new seal thread never answered) is stopped and this job seals its packs here: a
 * backup never waits forever for a thread that never started. The next job tries a new thread.
 */
let probeTimeoutMs = 20_000;
class ProbeTimeout extends Error {}
/** Tests: a seal thread of their own (a script that never answers), and a shorter wait. */
let testSpec: { source: string } | null = null;

/** Tests switch the worker off to exercise the in-thread path. */
export function setSealWorkerEnabled(on: boolean): void {
  enabled = on;
}

/** Tests: start seal threads from `source` (null: the real one) and give their probe `timeoutMs` to answer. */
export function setSealThreadForTests(source: string | null, timeoutMs = 20_000): void {
  testSpec = source === null ? null : { source };
  probeTimeoutMs = timeoutMs;
}

/** How to start the seal thread from here: the built file next to this bundle, or the TypeScript source through tsx. */
function workerSpec(): { file: string } | { source: string } | null {
  if (testSpec) return testSpec;
  const built = new URL('./seal-thread.js', import.meta.url);
  if (built.protocol === 'file:' && existsSync(fileURLToPath(built))) return { file: fileURLToPath(built) };
  const source = new URL('./seal-thread.ts', import.meta.url);
  if (source.protocol !== 'file:' || !existsSync(fileURLToPath(source))) return null;
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return null; // a source tree without tsx: seal here
  }
  return { source: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });` };
}

/** Fails the requests sent to `w` (it has ended, or is being stopped), and forgets it if it is the current thread. */
function failRequestsOf(w: Worker, err: Error): void {
  for (const [id, p] of pending) {
    if (p.w !== w) continue;
    pending.delete(id);
    p.reject(err);
  }
  for (const [id, r] of packRequests) {
    if (r.w !== w) continue;
    packRequests.delete(id);
    r.reject(err);
  }
  if (worker === w) {
    worker = null;
    verified = null;
  }
}

function getWorker(): Worker | null {
  if (!enabled) return null;
  if (worker) return worker;
  try {
    const spec = workerSpec();
    if (!spec) throw new Error('no seal thread script');
    // a small young generation: the thread's big buffers live outside the V8 heap (see compress-pool.ts)
    const limits = { resourceLimits: { maxYoungGenerationSizeMb: 8 } };
    const w = 'file' in spec ? new Worker(spec.file, limits) : new Worker(spec.source, { eval: true, ...limits });
    w.on('message', (m: ReplyMessage) => {
      if (m.op === 'pack-reply' || m.op === 'compress-reply') {
        const r = packRequests.get(m.id);
        packRequests.delete(m.id);
        if (pending.size === 0 && packRequests.size === 0) w.unref();
        r?.resolve(m as PackReply & CompressBatchReply);
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0 && packRequests.size === 0) w.unref();
      const staging = m.staging && m.staging.byteLength > 0 ? Buffer.from(m.staging.buffer, m.staging.byteOffset, m.staging.byteLength) : null;
      if (m.error || !m.data || !m.sha256 || !m.dataOffsets) {
        // The worker gave the staging buffer back: seal here rather than lose the pack.
        if (staging) sealPackData({ ...p.input, staging }).then((r) => p.resolve({ ...r, staging }), p.reject);
        else p.reject(new Error(`pack sealing failed: ${m.error ?? 'no output'}`));
      } else p.resolve({ data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), sha256: m.sha256, dataOffsets: m.dataOffsets, staging });
    });
    // only this worker's end concerns the packs pending on it (a stopped worker may exit after a new one started)
    w.on('error', (err) => failRequestsOf(w, err));
    w.on('exit', (code) => failRequestsOf(w, new Error(`pack sealing worker exited (${code})`)));
    w.unref();
    worker = w;
    return w;
  } catch {
    enabled = false; // no worker here: seal on this thread from now on
    return null;
  }
}

/** A whole ArrayBuffer of its own (not a slice of Node's pool, not shared): it can move to another thread. */
function movable(b: Buffer): boolean {
  return b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
}

function viaWorker(w: Worker, input: SealInput, handOver: boolean): Promise<SealOutput & { staging: Buffer | null }> {
  const id = nextId++;
  const { staging, output } = input;
  const transfer: ArrayBuffer[] = [];
  if (handOver && movable(staging)) transfer.push(staging.buffer as ArrayBuffer);
  if (output && movable(output)) transfer.push(output.buffer as ArrayBuffer);
  return new Promise((resolve, reject) => {
    pending.set(id, { w, input: { entries: input.entries, recipient: input.recipient }, resolve, reject });
    w.ref(); // a pending pack keeps the process alive
    w.postMessage({ id, staging, entries: input.entries, recipient: input.recipient, output }, transfer);
  });
}

/**
 * Buffers of written packs, to receive the next ones: a fresh 16 MiB per pack costs page faults, and once such buffers
 * are freed, glibc raises its mmap threshold and keeps later ones in fragmented heaps (tens of MB of resident memory).
 */
const spareOutputs: Buffer[] = [];
const MAX_SPARE_OUTPUTS = 2;

/**
 * Gives back the file of a pack that is written, for the next pack to be sealed into. Only once nothing reads it any
 * more (its write has finished): its bytes will be overwritten.
 */
export function recyclePackData(data: Buffer): void {
  const ab = data.buffer;
  if (!(ab instanceof ArrayBuffer) || ab.byteLength < 1024 * 1024 || spareOutputs.length >= MAX_SPARE_OUTPUTS) return;
  if (spareOutputs.some((b) => b.buffer === ab)) return;
  spareOutputs.push(Buffer.from(ab, 0, ab.byteLength));
}

/** Once per process: a probe pack sealed by the worker must open here, byte for byte. */
function verifyWorker(w: Worker): Promise<boolean> {
  verified ??= (async () => {
    try {
      const { identity, recipient } = generateIdentity();
      const staging = Buffer.alloc(70_000, 0x5a);
      const entries = [{ name: 'probe.raw', offset: 0, length: staging.length }];
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeout(`the seal thread did not answer within ${probeTimeoutMs} ms`)), probeTimeoutMs);
        timer.unref();
      });
      const viaThread = await Promise.race([viaWorker(w, { staging, entries, recipient }, false), late]).finally(() => clearTimeout(timer));
      const zip = await decrypt(viaThread.data, [{ type: 'x25519', identity }]);
      const at = viaThread.dataOffsets[0];
      const ok = viaThread.sha256 === sha256Hex(viaThread.data) && zip.subarray(at, at + staging.length).equals(staging);
      if (!ok) throw new Error('mismatch');
      return true;
    } catch (err) {
      failRequestsOf(w, err as Error); // the probe, and nothing else: no request goes to a thread before it passed
      if (!(err instanceof ProbeTimeout)) enabled = false; // a thread that answers wrong never will: seal here from now on
      void w.terminate();
      return false;
    }
  })();
  return verified;
}

/** The seal thread when it runs and passed its probe; null when packs are sealed on this thread. */
async function readyWorker(): Promise<Worker | null> {
  const w = getWorker();
  return w && (await verifyWorker(w)) && worker === w ? w : null;
}

/**
 * Zips, encrypts and hashes one pack. With `handOver`, the caller gives up `input.staging`: its whole ArrayBuffer moves
 * to the worker without a copy (detached here) and comes back as `staging` once sealed, to be filled again.
 */
export async function sealPack(input: SealInput, handOver = false): Promise<SealOutput & { staging: Buffer | null }> {
  const w = await readyWorker();
  const withOutput = { ...input, output: input.output ?? spareOutputs.pop() };
  if (w) return viaWorker(w, withOutput, handOver);
  const out = await sealPackData(withOutput);
  return { ...out, staging: handOver ? input.staging : null };
}

/**
 * Once no job seals packs any more (pack-builder.ts holdPackResources): drops the spare pack buffers and stops the seal
 * thread, unless a pack is pending on it. Node 24 keeps a stopped worker's heap pages for the next one (see
 * bench/RESULTS.md); the next pack starts a new thread (and probes it) in tens of milliseconds.
 */
export async function releaseSealThread(): Promise<void> {
  spareOutputs.length = 0;
  const w = worker;
  if (!w || pending.size > 0 || packRequests.size > 0) return;
  worker = null;
  verified = null;
  await w.terminate().catch(() => undefined);
}

/** True while a seal thread is started (tests: it is stopped once the last job that seals packs ends). */
export function sealThreadRunning(): boolean {
  return worker !== null;
}

/** Where packs are sealed in this process: on the seal thread, or here (no worker, or its probe failed). */
export async function sealThreadInUse(): Promise<boolean> {
  return (await readyWorker()) !== null;
}

/**
 * A pack written to its file as blobs arrive (pack-file.ts), on the seal thread when it runs, else here. `append` gives
 * the segment back once its bytes are in the file (through the thread, the segment moves there and back: the caller's
 * Buffer is detached meanwhile and must not be used; fill the returned one).
 */
export interface PackFileSession {
  append(segment: Buffer, entries: SealEntry[]): Promise<Buffer>;
  finish(): Promise<PackFileResult>;
  /** Stops writing; the file stays for its store to remove. */
  abort(): Promise<void>;
}

/** An error of the seal thread as the store expects it (an errno code and system call for an I/O failure). */
function threadError(e: NonNullable<PackReply['error']>): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {}, e.syscall ? { syscall: e.syscall } : {});
}

function packRequest(w: Worker, message: { id: number; [key: string]: unknown }, transfer: ArrayBuffer[] = []): Promise<PackReply & CompressBatchReply> {
  return new Promise((resolve, reject) => {
    // a thread that has ended (or was stopped) never answers: its requests failed when it did (failRequestsOf)
    if (worker !== w) return reject(new Error('the seal thread has stopped'));
    packRequests.set(message.id, { w, resolve, reject });
    w.ref();
    w.postMessage(message, transfer);
  });
}

/**
 * Compression of the backup's chunks on the seal thread (content/compress-batch.ts), so that a backup needs no
 * compression worker of its own (a thread fewer: ~20 MB). Null when there is no seal thread here (packs sealed on this
 * thread, or its probe failed). A request fails when the thread ends before answering; the batch buffer moves to the
 * thread and comes back in the reply.
 */
export async function sealThreadCompressor(): Promise<((request: CompressBatchRequest) => Promise<CompressBatchReply>) | null> {
  const w = await readyWorker();
  if (!w) return null;
  return (request) => packRequest(w, { ...request, op: 'compress', id: nextId++ }, [request.input.buffer as ArrayBuffer]);
}

/** Starts a pack file at `file` (which must not exist yet): a store's temporary file, see BlobStore.temporaryFile. */
export async function openPackFile(file: string, recipient: string): Promise<PackFileSession> {
  const w = await readyWorker();
  if (!w) {
    const writer = await PackFileWriter.create(file, recipient);
    return {
      append: async (segment, entries) => (await writer.append(segment, entries), segment),
      finish: () => writer.finish(),
      abort: async () => writer.abort(),
    };
  }
  const pack = nextPack++;
  const ask = (message: object, transfer: ArrayBuffer[] = []) => packRequest(w, { ...message, id: nextId++, pack }, transfer);
  const opened = await ask({ op: 'pack-open', file, recipient });
  if (opened.error) throw threadError(opened.error);
  return {
    async append(segment, entries) {
      if (!movable(segment)) throw new Error('pack segment must own its memory');
      const r = await ask({ op: 'pack-add', segment, entries }, [segment.buffer as ArrayBuffer]);
      if (r.error) throw threadError(r.error);
      const back = r.segment!;
      return Buffer.from(back.buffer, back.byteOffset, back.byteLength);
    },
    async finish() {
      const r = await ask({ op: 'pack-finish' });
      if (r.error || !r.result) throw threadError(r.error ?? { message: 'pack file: no result' });
      return r.result;
    },
    async abort() {
      await ask({ op: 'pack-abort' }).catch(() => undefined);
    },
  };
}

/**
 * Entry point of the seal thread (a worker_threads Worker started by seal-worker.ts): zips, encrypts and hashes packs
 * off the main thread. Built as its own bundle next to each application bundle (scripts/build.mjs).
 *
 * A pack in memory: message in { id, staging, entries, recipient, output? } (buffers transferred; `output`, when given,
 * receives the pack file); out { id, data, sha256, dataOffsets, staging } (both buffers transferred: the staging buffer
 * goes back to be filled again) or { id, error }.
 *
 * A pack written to its file as it fills (pack-file.ts): { op: 'pack-open', id, pack, file, recipient }, then
 * { op: 'pack-add', id, pack, segment, entries } as blobs come (the segment goes back once its bytes are in the file),
 * then { op: 'pack-finish', id, pack } or { op: 'pack-abort', id, pack }; each answered { op: 'pack-reply', id, result?,
 * segment?, error? } in the order received.
 *
 * The thread also compresses the backup's chunks (content/compress-batch.ts): { op: 'compress', id, ...batch }, answered
 * { op: 'compress-reply', id, ...reply } with the batch buffer given back. Doing it here rather than on a compression
 * worker of its own saves a thread (each costs ~20 MB): on two cores the work is balanced, the engine's thread reading,
 * chunking and hashing, this one compressing, zipping, encrypting and writing.
 */
import { parentPort } from 'node:worker_threads';
import { makeBatchCompressor, type CompressBatchRequest } from '../content/compress-batch.js';
import { describeWriteError, PackFileWriter } from './pack-file.js';
import { sealPackData, type SealEntry } from './pack-seal.js';

interface SealMessage {
  op?: undefined;
  id: number;
  staging: Uint8Array;
  entries: SealEntry[];
  recipient: string;
  output?: Uint8Array;
}

type PackMessage =
  | { op: 'pack-open'; id: number; pack: number; file: string; recipient: string }
  | { op: 'pack-add'; id: number; pack: number; segment: Uint8Array; entries: SealEntry[] }
  | { op: 'pack-finish'; id: number; pack: number }
  | { op: 'pack-abort'; id: number; pack: number };

/** Packs being written, by number: each settles its messages in the order they came (they chain on its creation). */
const packs = new Map<number, Promise<PackFileWriter>>();

function reply(id: number, body: object, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage({ op: 'pack-reply', id, ...body }, transfer);
}

function onPackMessage(m: PackMessage): void {
  const writer = packs.get(m.pack);
  const failed = (err: unknown, extra: object = {}, transfer: ArrayBuffer[] = []) => reply(m.id, { error: describeWriteError(err), ...extra }, transfer);
  switch (m.op) {
    case 'pack-open': {
      const created = PackFileWriter.create(m.file, m.recipient);
      created.catch(() => undefined);
      packs.set(m.pack, created);
      created.then(() => reply(m.id, {}), (err) => failed(err));
      return;
    }
    case 'pack-add': {
      const segment = Buffer.from(m.segment.buffer, m.segment.byteOffset, m.segment.byteLength);
      const back = [m.segment.buffer as ArrayBuffer];
      if (!writer) return failed(new Error(`pack ${m.pack} is not open`), { segment: m.segment }, back);
      writer
        .then((w) => w.append(segment, m.entries))
        .then(() => reply(m.id, { segment: m.segment }, back), (err) => failed(err, { segment: m.segment }, back));
      return;
    }
    case 'pack-finish':
      packs.delete(m.pack);
      if (!writer) return failed(new Error(`pack ${m.pack} is not open`));
      writer.then((w) => w.finish()).then((result) => reply(m.id, { result }), (err) => failed(err));
      return;
    case 'pack-abort':
      packs.delete(m.pack);
      if (!writer) return reply(m.id, {});
      writer.then((w) => w.abort(), () => undefined).then(() => reply(m.id, {}));
      return;
  }
}

function onSealMessage(m: SealMessage): void {
  const staging = Buffer.from(m.staging.buffer, m.staging.byteOffset, m.staging.byteLength);
  const output = m.output ? Buffer.from(m.output.buffer, m.output.byteOffset, m.output.byteLength) : undefined;
  sealPackData({ staging, entries: m.entries, recipient: m.recipient, output }).then(
    (r) => {
      // a small pack's buffer may be a slice of Node's shared Buffer pool, which must never be transferred (Node 24
      // refuses: DataCloneError): such a pack travels as an exact copy of its own. A buffer larger than the pool is ours.
      const exact = r.data.byteOffset === 0 && (r.data.buffer.byteLength > Buffer.poolSize || r.data.byteLength === r.data.buffer.byteLength);
      const data = exact ? r.data : Buffer.allocUnsafeSlow(r.data.length);
      if (!exact) r.data.copy(data);
      const transfer = [data.buffer as ArrayBuffer];
      if (m.staging.buffer.byteLength > 0) transfer.push(m.staging.buffer as ArrayBuffer);
      parentPort!.postMessage({ id: m.id, data, sha256: r.sha256, dataOffsets: r.dataOffsets, staging: m.staging }, transfer);
    },
    (err: unknown) => {
      parentPort!.postMessage({ id: m.id, error: String((err as Error)?.message ?? err), staging: m.staging }, [m.staging.buffer as ArrayBuffer]);
    },
  );
}

let compressBatch: ReturnType<typeof makeBatchCompressor> | null = null;

function onCompressMessage(m: CompressBatchRequest): void {
  compressBatch ??= makeBatchCompressor();
  const r = compressBatch(m);
  parentPort!.postMessage({ ...r, op: 'compress-reply' }, [r.input.buffer as ArrayBuffer]);
}

parentPort?.on('message', (m: SealMessage | PackMessage | (CompressBatchRequest & { op: 'compress' })) => {
  if (m.op === undefined) onSealMessage(m);
  else if (m.op === 'compress') onCompressMessage(m);
  else onPackMessage(m);
});

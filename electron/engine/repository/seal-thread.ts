/**
 * Entry point of the seal thread (a worker_threads Worker started by seal-worker.ts): zips, encrypts and hashes packs
 * off the main thread. Built as its own bundle next to each application bundle (scripts/build.mjs).
 * Message in: { id, staging, entries, recipient, output? } (buffers transferred; `output`, when given, receives the pack
 * file). Message out: { id, data, sha256, dataOffsets, staging } (both buffers transferred: the staging buffer goes back
 * to be filled again) or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { sealPackData, type SealEntry } from './pack-seal.js';

interface SealMessage {
  id: number;
  staging: Uint8Array;
  entries: SealEntry[];
  recipient: string;
  output?: Uint8Array;
}

parentPort?.on('message', (m: SealMessage) => {
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
});

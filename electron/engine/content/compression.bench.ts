/**
 * Compression throughput: `node --import tsx electron/engine/content/compression.bench.ts [MiB]`. Blobs of the large-file chunk
 * size (24 KiB) and of 512 KiB, with 1 and 4 calls in flight (zlib's async API runs on libuv's thread pool).
 */
import { randomBytes } from 'node:crypto';
import { compressBlob, decompressBlob } from './compression.js';

const size = Number(process.argv[2] ?? 32) * 1024 * 1024;
const rnd = randomBytes(size);
const words = ['facture', 'client', 'TVA', 'montant', 'Dupont', 'café', 'réf', 'total', '2026', '€'];
let s = '';
for (let i = 0; s.length < size; i++) s += `${words[rnd[i % rnd.length] % words.length]} ${rnd[(i * 7) % rnd.length]};`;
const text = Buffer.from(s).subarray(0, size);

/** Returns compress and decompress rates in MB per CPU second (all threads), and the stored fraction. */
async function run(data: Buffer, blob: number, inFlight: number): Promise<[number, number, number]> {
  const blobs: Buffer[] = [];
  for (let i = 0; i < data.length; i += blob) blobs.push(data.subarray(i, i + blob));
  const c0 = process.cpuUsage();
  const out: Array<{ codec: string; data: Buffer }> = new Array(blobs.length);
  let next = 0;
  const worker = async () => {
    while (next < blobs.length) {
      const i = next++;
      out[i] = await compressBlob(blobs[i]);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const c1 = process.cpuUsage(c0);
  const c1abs = process.cpuUsage();
  next = 0;
  const dworker = async () => {
    while (next < blobs.length) {
      const i = next++;
      await decompressBlob(out[i].codec, out[i].data, blobs[i].length);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, dworker));
  const c2 = process.cpuUsage(c1abs);
  const stored = out.reduce((a, b) => a + b.data.length, 0);
  const secs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
  return [size / 1e6 / secs(c1), size / 1e6 / secs(c2), stored / size];
}

for (const [kind, data] of [['text', text], ['random', rnd]] as const) {
  for (const blob of [24 * 1024, 512 * 1024]) {
    for (const inFlight of [1, 4]) {
      await run(data, blob, inFlight); // warm-up
      const [c, d, ratio] = await run(data, blob, inFlight);
      console.log(`${kind.padEnd(6)} blob ${String(blob / 1024).padStart(3)} KiB x${inFlight}: compress ${Math.round(c)}, decompress ${Math.round(d)} MB/s per CPU second, stored ${(ratio * 100).toFixed(0)}%`);
    }
  }
}

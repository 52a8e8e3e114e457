/**
 * Chunker throughput: `node --import tsx electron/engine/content/chunker.bench.ts [MiB]`. Median of 5 runs per profile and
 * data kind (random bytes; text; database-like pages with zero-filled ends), in MB per CPU second. Stream = 1 MiB pushes.
 */
import { randomBytes } from 'node:crypto';
import { Chunker, chunkLengths, CHUNK_PROFILES } from './chunker.js';

const size = Number(process.argv[2] ?? 64) * 1024 * 1024;
const rnd = randomBytes(size);
const text = Buffer.alloc(size);
for (let i = 0; i < size; i++) text[i] = 32 + (rnd[i] % 95);
const pages = Buffer.alloc(size);
for (let i = 0; i < size; i++) pages[i] = (i & 4095) < 2800 ? text[i] : 0;

/** Median seconds of CPU time (less sensitive than wall time to other processes on this shared machine). */
function median(fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1e6);
  }
  return times.sort((a, b) => a - b)[2];
}

for (const profile of ['medium', 'large'] as const) {
  const p = CHUNK_PROFILES[profile];
  for (const [kind, data] of [['random', rnd], ['text', text], ['pages', pages]] as const) {
    let chunks = 0;
    const whole = median(() => (chunks = chunkLengths(data, p).length));
    const streamed = median(() => {
      const c = new Chunker(p);
      for (let i = 0; i < data.length; i += 1 << 20) c.push(data.subarray(i, i + (1 << 20)));
      c.end();
    });
    console.log(
      `${profile.padEnd(7)} ${kind.padEnd(7)} avg chunk ${Math.round(size / chunks / 1024)} KiB  ` +
        `buffer ${Math.round(size / 1e6 / whole)} MB/s  stream ${Math.round(size / 1e6 / streamed)} MB/s`,
    );
  }
}

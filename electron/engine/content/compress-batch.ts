/**
 * Compression of a batch of chunks on a worker thread: the seal thread (repository/seal-thread.ts), or a compression
 * worker of its own (jobs/compress-pool.ts). One source text serves both: the seal thread instantiates it with
 * makeBatchCompressor(), and the compression worker, an eval'd CommonJS script, embeds COMPRESS_BATCH_SOURCE. The
 * probe, codec and saving rule are compression.ts's (same constants; compress-pool.test.ts compares the decisions), so
 * blobs are identical to compressBlob's.
 *
 * zstd: node:zlib's public API makes a new encoder context per call (zstdCompressSync) and closes it after one frame;
 * with tens of thousands of small blobs, making contexts costs ~0.5 s of CPU per GB backed up. The compressor keeps one
 * context and ends a frame per blob through the stream's own synchronous write (its `_handle.writeSync`, what
 * zstdCompressSync calls), into an output buffer of at least ZSTD_compressBound: each call ends its frame, and zstd sizes
 * that frame's tables to its input as with pledgedSrcSize. The frames are byte for byte those of zstdCompressSync: the
 * compressor checks it at start on sample blobs, and any doubt then or later (a runtime without that internal, a frame
 * that does not end) falls back to zstdCompressSync for good.
 *
 * A batch: `input` holds the chunks side by side, `items` the [offset, length] of each. The outputs (compressed, or the
 * chunk itself when it does not shrink) go side by side into the same buffer, from its start: an output is never longer
 * than its chunk, so it only covers bytes already read (copy() allows overlap). No buffer is allocated per batch.
 */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { MIN_COMPRESS_SIZE, MIN_SAVING, PROBE_FROM, PROBE_MAX_BITS, PROBE_SLICE, PROBE_SLICES, type Codec } from './compression.js';

export interface CompressBatchRequest {
  id: number;
  input: Uint8Array;
  items: [number, number][];
  quality: number;
  codec: 'zstd' | 'brotli';
  zstdParams: Record<number, number> | null;
}

export interface CompressBatchReply {
  id: number;
  /** [codec, offset, length] of each output inside `input`. */
  outs?: [Codec, number, number][];
  /** Blobs of the batch compressed by the long-lived zstd context. */
  reused?: number;
  /** The batch buffer, given back (transfer it). */
  input: Uint8Array;
  error?: string;
}

/**
 * Defines `compressBatch(request) → reply` given `zlib` (node:zlib) and `randomBytes` (node:crypto) in scope. Plain
 * JavaScript: it runs as the source of an eval'd worker as well as here.
 */
export const COMPRESS_BATCH_SOURCE = `
const MIN_SIZE = ${MIN_COMPRESS_SIZE}, MAX_BITS = ${PROBE_MAX_BITS}, SLICES = ${PROBE_SLICES}, SLICE = ${PROBE_SLICE}, KEEP = ${1 - MIN_SAVING};
const PROBE_FROM = ${PROBE_FROM};
const counts = new Uint32Array(256);
// compression.ts sampleEntropy, the same computation
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
// compression.ts worthCompressing
function worth(d, codec) {
  return d.length >= MIN_SIZE && ((codec === 'zstd' && d.length < PROBE_FROM) || entropy(d) <= MAX_BITS);
}
const zstdOnce = (chunk, params) => zlib.zstdCompressSync(chunk, { params, pledgedSrcSize: chunk.length });
let zstdReused = undefined; // the long-lived encoder; null once ruled out
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
      const samples = [Buffer.from('facture;Élodie;12,50 €\\n'.repeat(900)), Buffer.alloc(5000), randomBytes(3000)];
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
function compressBatch({ id, input, items, quality, codec, zstdParams }) {
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
    return { id, outs, input, reused: reusedInBatch };
  } catch (err) {
    return { id, error: String((err && err.message) || err), input };
  }
}
`;

/** compressBatch for this thread (the seal thread's), made from the same source as the compression worker's. */
export function makeBatchCompressor(): (request: CompressBatchRequest) => CompressBatchReply {
  return new Function('zlib', 'randomBytes', `${COMPRESS_BATCH_SOURCE}\nreturn compressBatch;`)(zlib, randomBytes);
}

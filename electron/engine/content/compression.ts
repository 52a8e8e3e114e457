/**
 * Blob compression. The codec is recorded per blob:
 *   'raw'    — stored as is (incompressible data, tiny blobs);
 *   'brotli' — Brotli (RFC 7932) at quality 1, a codec built into every Node/Electron runtime.
 * A cheap probe first estimates the order-0 entropy of a ≤4 KiB sample spread over the blob (a few µs): photos, zips, video and
 * encrypted data (> PROBE_MAX_BITS bits per byte) are stored raw without trying. Otherwise the blob is compressed on libuv's
 * thread pool (zlib's asynchronous API: several calls in flight use every core) and kept only if it shrank by ≥ MIN_SAVING.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { RempartError } from '../base/errors.js';

export const CODECS = ['raw', 'brotli'] as const;
export type Codec = (typeof CODECS)[number];

export const BROTLI_QUALITY = 1;
/** Blobs shorter than this are stored raw. */
export const MIN_COMPRESS_SIZE = 64;
/** Compressed output is kept only when at most (1 - MIN_SAVING) of the input. */
export const MIN_SAVING = 0.05;
/** Sample entropy above which a blob is considered incompressible (uniform random bytes score ~7.95 on 4 KiB). */
export const PROBE_MAX_BITS = 7.6;
export const PROBE_SLICES = 4;
export const PROBE_SLICE = 1024;

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

export interface CompressedBlob {
  codec: Codec;
  data: Buffer;
}

const counts = new Uint32Array(256);
const LOG2 = Math.log(2);

/** Order-0 entropy in bits per byte of up to 4 slices of 1 KiB spread over `data`. */
export function sampleEntropy(data: Uint8Array): number {
  counts.fill(0);
  let n = 0;
  const add = (from: number, to: number) => {
    for (let i = from; i < to; i++) counts[data[i]]++;
    n += to - from;
  };
  if (data.length <= PROBE_SLICES * PROBE_SLICE) add(0, data.length);
  else {
    const step = Math.floor((data.length - PROBE_SLICE) / (PROBE_SLICES - 1));
    for (let k = 0; k < PROBE_SLICES; k++) add(k * step, k * step + PROBE_SLICE);
  }
  if (n === 0) return 0;
  let bits = 0;
  for (let b = 0; b < 256; b++) {
    const c = counts[b];
    if (c > 0) bits -= c * Math.log(c / n);
  }
  return bits / n / LOG2;
}

/** Whether the probe says the blob is worth compressing. */
export function looksCompressible(data: Uint8Array): boolean {
  return data.length >= MIN_COMPRESS_SIZE && sampleEntropy(data) <= PROBE_MAX_BITS;
}

export async function compressBlob(data: Buffer): Promise<CompressedBlob> {
  if (!looksCompressible(data)) return { codec: 'raw', data };
  const out = await brotliCompress(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  if (out.length > data.length * (1 - MIN_SAVING)) return { codec: 'raw', data };
  return { codec: 'brotli', data: out };
}

function corrupt(message: string, cause?: unknown): RempartError {
  return new RempartError('DATA_CORRUPT', message, { cause });
}

/** Restores a blob; the length is checked. Unknown codec, bad stream, wrong length: DATA_CORRUPT. */
export async function decompressBlob(codec: string, data: Buffer, expectedLength: number): Promise<Buffer> {
  let out: Buffer;
  if (codec === 'raw') out = data;
  else if (codec === 'brotli') {
    try {
      // One output buffer of the expected size: a single trip to the thread pool instead of one per 16 KiB (the default chunk).
      out = await brotliDecompress(data, { maxOutputLength: Math.max(1, expectedLength + 1), chunkSize: Math.max(64, expectedLength + 1) });
    } catch (err) {
      throw corrupt(`brotli blob does not decompress: ${(err as Error).message}`, err);
    }
  } else throw corrupt(`unknown blob codec "${codec}"`);
  if (out.length !== expectedLength) throw corrupt(`blob length ${out.length} differs from the recorded ${expectedLength}`);
  return out;
}

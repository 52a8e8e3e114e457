/**
 * Blob compression. The codec is recorded per blob:
 *   'raw'    — stored as is (incompressible data, tiny blobs);
 *   'zstd'   — Zstandard (RFC 8878) at level 1: node:zlib has it from Node 22.15 / 23.8 (Electron 41's Node 24). Faster
 *              than brotli q1 both ways on shop data (about 1.4× to compress, 2× to decompress) and a little smaller;
 *   'brotli' — Brotli (RFC 7932) at quality 1, built into every Node/Electron runtime (Node 20 writes it).
 * New blobs use zstd when the runtime has it natively and frees its contexts (zstdReleasesContexts), brotli otherwise.
 * Every codec decodes on every runtime: zstd without node:zlib support goes through `fzstd` (pure JS), so a repository
 * written by the app opens on Node 20.
 * A cheap probe first estimates the order-0 entropy of a ≤4 KiB sample spread over the blob (about 6 µs): photos, zips,
 * video and encrypted data (> PROBE_MAX_BITS bits per byte) are stored raw without trying. zstd skips the probe below
 * PROBE_FROM bytes: it gives up on incompressible input at 2 GB/s or more, so trying a small blob costs about what probing it
 * does, and most small blobs (database pages, invoices) compress anyway. Otherwise the blob is compressed on libuv's thread
 * pool (zlib's asynchronous API: several calls in flight use every core) and kept only if it shrank by ≥ MIN_SAVING.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Decompress as FzstdDecompress } from 'fzstd';
import { RempartError } from '../base/errors.js';

export const CODECS = ['raw', 'brotli', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];

export const BROTLI_QUALITY = 1;
export const ZSTD_LEVEL = 1;
/** Blobs shorter than this are stored raw. */
export const MIN_COMPRESS_SIZE = 64;
/** Compressed output is kept only when at most (1 - MIN_SAVING) of the input. */
export const MIN_SAVING = 0.05;
/** Sample entropy above which a blob is considered incompressible (uniform random bytes score ~7.95 on 4 KiB). */
export const PROBE_MAX_BITS = 7.6;
export const PROBE_SLICES = 4;
export const PROBE_SLICE = 1024;
/** zstd tries blobs shorter than this without the probe (brotli, slower on incompressible input, always probes). */
export const PROBE_FROM = 64 * 1024;

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** node:zlib's zstd API (Node ≥ 22.15 / 23.8); @types/node 20 does not declare it. */
interface ZstdZlib {
  zstdCompress?: (data: Buffer, opts: ZstdOptions, cb: (err: Error | null, out: Buffer) => void) => void;
  zstdDecompress?: (data: Buffer, opts: ZstdOptions, cb: (err: Error | null, out: Buffer) => void) => void;
  constants: { ZSTD_c_compressionLevel?: number };
}
interface ZstdOptions {
  params?: Record<number, number>;
  /** The input's size, known in advance: zstd sizes its window and tables to it (~30 % less CPU on 16 KiB chunks). */
  pledgedSrcSize?: number;
  maxOutputLength?: number;
  chunkSize?: number;
}
const z = zlib as unknown as ZstdZlib;
const zstdCompressNative = z.zstdCompress && z.constants.ZSTD_c_compressionLevel !== undefined ? promisify(z.zstdCompress) : null;
const zstdDecompressNative = z.zstdDecompress ? promisify(z.zstdDecompress) : null;

/** Whether node:zlib has Zstandard here (then new blobs are written zstd). */
export function hasNativeZstd(): boolean {
  return zstdCompressNative !== null && zstdDecompressNative !== null;
}

/**
 * Before Node 24.15, node:zlib freed a zstd context only when the garbage collector collected its wrapper, and never
 * told V8 about that memory (fixed by nodejs/node#61717): measured here, 6,400 16 KiB blobs left ~400 MB more RSS on
 * 24.11.1 and 24.14.0 than on 24.15.0 and later. Such runtimes still read zstd, but write brotli. (22.x, 23.x and 25.x
 * are treated the same way: not measured.)
 */
export function zstdReleasesContexts(version: string = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major >= 26 || (major === 24 && minor >= 15);
}

/**
 * The codec new compressible blobs get: zstd when the runtime has it natively (and frees its contexts), brotli otherwise.
 * REMPART_COMPRESSION=brotli forces brotli (benchmarks, tests); zstd cannot be forced on a runtime without it.
 */
export function preferredCodec(): 'zstd' | 'brotli' {
  if (process.env.REMPART_COMPRESSION === 'brotli') return 'brotli';
  return hasNativeZstd() && zstdReleasesContexts() ? 'zstd' : 'brotli';
}

/** The zstd encoder parameters (compress-pool's workers use the same). */
export function zstdParams(): Record<number, number> {
  return { [z.constants.ZSTD_c_compressionLevel as number]: ZSTD_LEVEL };
}

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

/** Whether a blob is worth compressing with `codec`: the probe, or for zstd below PROBE_FROM bytes, its size alone. */
export function worthCompressing(data: Uint8Array, codec: 'zstd' | 'brotli'): boolean {
  if (codec === 'zstd' && data.length >= MIN_COMPRESS_SIZE && data.length < PROBE_FROM) return true;
  return looksCompressible(data);
}

export async function compressBlob(data: Buffer): Promise<CompressedBlob> {
  const zstd = preferredCodec() === 'zstd' && zstdCompressNative !== null;
  if (!worthCompressing(data, zstd ? 'zstd' : 'brotli')) return { codec: 'raw', data };
  const out =
    zstd && zstdCompressNative
      ? await zstdCompressNative(data, { params: zstdParams(), pledgedSrcSize: data.length })
      : await brotliCompress(data, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        });
  if (out.length > data.length * (1 - MIN_SAVING)) return { codec: 'raw', data };
  return { codec: zstd ? 'zstd' : 'brotli', data: out };
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
  } else if (codec === 'zstd') {
    try {
      out = zstdDecompressNative
        ? await zstdDecompressNative(data, { maxOutputLength: Math.max(1, expectedLength + 1), chunkSize: Math.max(64, expectedLength + 1) })
        : zstdDecompressJs(data, expectedLength);
    } catch (err) {
      throw corrupt(`zstd blob does not decompress: ${(err as Error).message}`, err);
    }
  } else throw corrupt(`unknown blob codec "${codec}"`);
  if (out.length !== expectedLength) throw corrupt(`blob length ${out.length} differs from the recorded ${expectedLength}`);
  return out;
}

/**
 * Pure-JS Zstandard decoding (fzstd) for runtimes without node:zlib zstd. Streamed so that the output can never grow past
 * the recorded length (a corrupt frame header cannot make it allocate more); truncated or invalid frames throw.
 */
export function zstdDecompressJs(data: Uint8Array, expectedLength: number): Buffer {
  const parts: Uint8Array[] = [];
  let n = 0;
  const d = new FzstdDecompress((chunk) => {
    n += chunk.length;
    if (n > expectedLength) throw new Error(`output exceeds the recorded ${expectedLength} bytes`);
    parts.push(chunk);
  });
  d.push(data, true);
  if (parts.length === 1) return Buffer.from(parts[0].buffer, parts[0].byteOffset, parts[0].byteLength);
  return Buffer.concat(parts, n);
}

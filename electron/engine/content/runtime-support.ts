/**
 * What this runtime offers the content layer. Node (OpenSSL) provides every primitive natively. Electron's embedded Node
 * is built on BoringSSL, whose `createCipheriv` has no 'chacha20-poly1305' (electron/electron#24024): there ./crypto uses
 * its fallback (libsodium WebAssembly for ChaCha20-Poly1305 and X25519, HKDF on HMAC, scrypt in JS), chosen per primitive
 * by known-answer tests. The engine therefore runs in both; `cryptoBackend()` says which one is active (log it at start).
 * Compression: brotli is in every runtime's zlib; zstd only from Node 22.15 / 23.8 (Electron 41's Node 24). Where zlib
 * has it, new blobs are zstd; elsewhere they are brotli and zstd blobs decode in pure JS (fzstd).
 */
import zlib from 'node:zlib';
import { RempartError } from '../base/errors.js';
import { hasNativeZstd, preferredCodec, zstdDecompressJs } from './compression.js';
import { cryptoBackend, cryptoChoice, nativeSupport, primitives, type CryptoChoice } from './crypto/index.js';
import type { PrimitiveName } from './crypto/types.js';

export { cryptoBackend, cryptoChoice, ensureCryptoReady } from './crypto/index.js';

export interface ContentRuntimeSupport {
  /** Primitives node:crypto really provides here (known-answer tests). */
  native: Record<PrimitiveName, boolean>;
  /** Where each primitive comes from. */
  choice: CryptoChoice;
  /** 'native' (all node:crypto) or 'wasm' (the fallback is in use). */
  backend: 'native' | 'wasm';
  brotli: boolean;
  /** Where zstd decoding comes from: node:zlib ('native') or fzstd ('js'); null if neither decodes the known answer. */
  zstd: 'native' | 'js' | null;
  /** Codec of new compressible blobs ('zstd' where native and its contexts are freed on close, else 'brotli'). */
  codec: 'zstd' | 'brotli';
}

let brotli: boolean | null = null;

function brotliWorks(): boolean {
  try {
    brotli ??= zlib.brotliDecompressSync(zlib.brotliCompressSync(Buffer.from('probe'))).toString() === 'probe';
  } catch {
    brotli = false;
  }
  return brotli;
}

/** "rempart zstd probe; " × 16 as one zstd frame (level 1, content size in the header, one compressed block). */
const ZSTD_KNOWN_ANSWER = 'KLUv/WBAAN0AAKByZW1wYXJ0IHpzdGQgcHJvYmU7IAEAUk6dTA==';
let zstd: 'native' | 'js' | null | undefined;

function zstdDecoder(): 'native' | 'js' | null {
  if (zstd !== undefined) return zstd;
  const frame = Buffer.from(ZSTD_KNOWN_ANSWER, 'base64');
  const want = 'rempart zstd probe; '.repeat(16);
  try {
    const native = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
    const out = hasNativeZstd() && native ? native(frame) : zstdDecompressJs(frame, want.length);
    zstd = out.toString() === want ? (hasNativeZstd() ? 'native' : 'js') : null;
  } catch {
    zstd = null;
  }
  return zstd;
}

/** Probes each primitive once (a few ms). */
export function contentRuntimeSupport(): ContentRuntimeSupport {
  return {
    native: { ...nativeSupport() },
    choice: cryptoChoice(),
    backend: cryptoBackend(),
    brotli: brotliWorks(),
    zstd: zstdDecoder(),
    codec: preferredCodec(),
  };
}

/** Throws a clear error at startup when something the content layer needs is missing, instead of failing mid-backup. */
export function assertContentRuntimeSupport(): void {
  if (!brotliWorks()) {
    throw new RempartError('UNKNOWN', `this JavaScript runtime (Node ${process.versions.node}) lacks Brotli in node:zlib`, {
      details: { missing: 'brotli' },
    });
  }
  if (!zstdDecoder()) {
    throw new RempartError('UNKNOWN', `this JavaScript runtime (Node ${process.versions.node}) cannot decode zstd blobs`, {
      details: { missing: 'zstd' },
    });
  }
  try {
    primitives();
  } catch (err) {
    throw new RempartError('UNKNOWN', `content crypto unavailable (backend ${cryptoBackend()}): ${(err as Error).message}`, { cause: err });
  }
}

/**
 * What this runtime offers the content layer. Node (OpenSSL) provides every primitive natively. Electron's embedded Node
 * is built on BoringSSL, whose `createCipheriv` has no 'chacha20-poly1305' (electron/electron#24024): there ./crypto uses
 * its fallback (libsodium WebAssembly for ChaCha20-Poly1305 and X25519, HKDF on HMAC, scrypt in JS), chosen per primitive
 * by known-answer tests. The engine therefore runs in both; `cryptoBackend()` says which one is active (log it at start).
 */
import zlib from 'node:zlib';
import { RempartError } from '../base/errors.js';
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

/** Probes each primitive once (a few ms). */
export function contentRuntimeSupport(): ContentRuntimeSupport {
  return { native: { ...nativeSupport() }, choice: cryptoChoice(), backend: cryptoBackend(), brotli: brotliWorks() };
}

/** Throws a clear error at startup when something the content layer needs is missing, instead of failing mid-backup. */
export function assertContentRuntimeSupport(): void {
  if (!brotliWorks()) {
    throw new RempartError('UNKNOWN', `this JavaScript runtime (Node ${process.versions.node}) lacks Brotli in node:zlib`, {
      details: { missing: 'brotli' },
    });
  }
  try {
    primitives();
  } catch (err) {
    throw new RempartError('UNKNOWN', `content crypto unavailable (backend ${cryptoBackend()}): ${(err as Error).message}`, { cause: err });
  }
}

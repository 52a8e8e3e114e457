/**
 * Which native primitives this runtime offers. Node (OpenSSL) has them all. Electron's embedded Node is built on BoringSSL,
 * whose `createCipheriv` has no 'chacha20-poly1305' (electron/electron#24024; HAP-NodeJS#1024 had to go pure-JS): there the
 * engine must run under a real Node binary (e.g. a child process of the shell), never in Electron's own process.
 */
import { createCipheriv, diffieHellman, generateKeyPairSync, getCiphers, hkdfSync, scryptSync } from 'node:crypto';
import zlib from 'node:zlib';
import { RempartError } from '../base/errors.js';

export interface ContentRuntimeSupport {
  chacha20Poly1305: boolean;
  x25519: boolean;
  hkdf: boolean;
  scrypt: boolean;
  brotli: boolean;
}

function works(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

let cached: ContentRuntimeSupport | null = null;

/** Probes each primitive once (a few ms). */
export function contentRuntimeSupport(): ContentRuntimeSupport {
  cached ??= {
    chacha20Poly1305:
      getCiphers().includes('chacha20-poly1305') &&
      works(() => createCipheriv('chacha20-poly1305', Buffer.alloc(32), Buffer.alloc(12), { authTagLength: 16 }).final()),
    x25519: works(() => {
      const a = generateKeyPairSync('x25519');
      const b = generateKeyPairSync('x25519');
      return diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    }),
    hkdf: works(() => hkdfSync('sha256', Buffer.alloc(16), Buffer.alloc(0), 'probe', 32)),
    scrypt: works(() => scryptSync('probe', 'salt', 32, { N: 1024, r: 8, p: 1 })),
    brotli: works(() => zlib.brotliDecompressSync(zlib.brotliCompressSync(Buffer.from('probe')))),
  };
  return cached;
}

/** Throws a clear error at startup when a primitive is missing, instead of an obscure "Unknown cipher" mid-backup. */
export function assertContentRuntimeSupport(): void {
  const s = contentRuntimeSupport();
  const missing = Object.entries(s)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new RempartError(
      'UNKNOWN',
      `this JavaScript runtime lacks native ${missing.join(', ')} (Electron's BoringSSL?): run the engine under Node ${process.versions.node}+ with OpenSSL`,
      { details: { missing: missing.join(',') } },
    );
  }
}

/**
 * Chooses, once, where each primitive comes from: node:crypto when its known-answer vector passes here (Node/OpenSSL:
 * the fast path), otherwise the fallback (libsodium WebAssembly, HMAC-based HKDF, JS scrypt) — for Electron's BoringSSL.
 * `REMPART_CRYPTO_FALLBACK=1` forces the fallback for every primitive (tests, diagnosis).
 *
 * The fallback's WebAssembly starts asynchronously. `ensureCryptoReady()` does it once; the content layer's async entry
 * points await it, and when native primitives are missing this module awaits it while being imported (top-level await),
 * so synchronous callers (seal/open, generateIdentity, recipientOf) never meet an unloaded backend.
 */
import { RempartError } from '../../base/errors.js';
import { fallbackPrimitives, loadFallback } from './fallback.js';
import { nativePrimitives, probeNative } from './native.js';
import { PRIMITIVE_NAMES, type PrimitiveName, type Primitives } from './types.js';
import { checkChaCha, checkHkdf, checkScrypt, checkX25519 } from './vectors.js';

export type CryptoMode = 'auto' | 'native' | 'fallback';
export type PrimitiveSource = 'native' | 'fallback';
export type CryptoChoice = Record<PrimitiveName, PrimitiveSource>;

let nativeProbe: Record<PrimitiveName, boolean> | null = null;
let current: { primitives: Primitives; choice: CryptoChoice } | null = null;
let fallbackChecked: Promise<void> | null = null;
let readying: Promise<void> | null = null;

/** Which primitives node:crypto really offers here (probed once). */
export function nativeSupport(): Record<PrimitiveName, boolean> {
  nativeProbe ??= probeNative();
  return nativeProbe;
}

export function fallbackForced(): boolean {
  return process.env.REMPART_CRYPTO_FALLBACK === '1';
}

function choose(mode: CryptoMode): CryptoChoice {
  const native = nativeSupport();
  if (mode === 'native') {
    const missing = PRIMITIVE_NAMES.filter((n) => !native[n]);
    if (missing.length > 0) throw new RempartError('UNKNOWN', `content crypto: node:crypto lacks ${missing.join(', ')} in this runtime`);
  }
  const forced = mode === 'fallback' || (mode === 'auto' && fallbackForced());
  const choice = {} as CryptoChoice;
  for (const n of PRIMITIVE_NAMES) choice[n] = !forced && native[n] ? 'native' : 'fallback';
  return choice;
}

function usesFallback(choice: CryptoChoice): boolean {
  return Object.values(choice).includes('fallback');
}

function compose(choice: CryptoChoice): Primitives {
  const from = (n: PrimitiveName) => (choice[n] === 'native' ? nativePrimitives : fallbackPrimitives);
  return {
    aeadKey: from('chacha20Poly1305').aeadKey,
    aeadSeal: from('chacha20Poly1305').aeadSeal,
    aeadOpen: from('chacha20Poly1305').aeadOpen,
    x25519GenerateKeyPair: from('x25519').x25519GenerateKeyPair,
    x25519PublicKey: from('x25519').x25519PublicKey,
    x25519SharedSecret: from('x25519').x25519SharedSecret,
    hkdfSha256: from('hkdf').hkdfSha256,
    scrypt: from('scrypt').scrypt,
  };
}

/** Loads libsodium and checks every fallback primitive against its known answer, once. */
function readyFallback(): Promise<void> {
  fallbackChecked ??= (async () => {
    await loadFallback();
    try {
      checkChaCha(fallbackPrimitives);
      checkX25519(fallbackPrimitives);
      checkHkdf(fallbackPrimitives);
      await checkScrypt(fallbackPrimitives);
    } catch (err) {
      throw new RempartError('UNKNOWN', `content crypto: the fallback failed its known-answer test (${(err as Error).message})`, { cause: err });
    }
  })();
  fallbackChecked.catch(() => (fallbackChecked = null));
  return fallbackChecked;
}

/**
 * Switches every primitive to one source (tests run the same cases on both): 'native' (throws if node:crypto lacks one),
 * 'fallback', or 'auto' (native where it works, fallback elsewhere; the fallback everywhere if REMPART_CRYPTO_FALLBACK=1).
 */
export async function useCryptoBackend(mode: CryptoMode): Promise<void> {
  const choice = choose(mode);
  if (usesFallback(choice)) await readyFallback();
  current = { primitives: compose(choice), choice };
}

/** Prepares the primitives once (loads the fallback if this runtime needs it). Cheap after the first call. */
export function ensureCryptoReady(): Promise<void> {
  if (current) return Promise.resolve();
  readying ??= useCryptoBackend('auto').finally(() => (readying = null));
  return readying;
}

/** The active primitives, synchronously. Native-only choices are set up on first use; the fallback must be ready. */
export function primitives(): Primitives {
  if (current) return current.primitives;
  const choice = choose('auto');
  if (usesFallback(choice)) {
    throw new RempartError('UNKNOWN', 'content crypto: the fallback is not loaded yet (await ensureCryptoReady() first)');
  }
  current = { primitives: compose(choice), choice };
  return current.primitives;
}

/** Source of each primitive (the active choice, or the one `ensureCryptoReady()` would make). */
export function cryptoChoice(): CryptoChoice {
  return { ...(current?.choice ?? choose('auto')) };
}

/** 'native' when every primitive is node:crypto's; 'wasm' when the fallback (libsodium WebAssembly) is in use. */
export function cryptoBackend(): 'native' | 'wasm' {
  return Object.values(cryptoChoice()).every((s) => s === 'native') ? 'native' : 'wasm';
}

// Synchronous callers must find the fallback ready: when this runtime needs it, load it during import.
if (usesFallback(choose('auto'))) await ensureCryptoReady();

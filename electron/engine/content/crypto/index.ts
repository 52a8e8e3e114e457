/** The content layer's cryptographic primitives: node:crypto when it works here, libsodium WebAssembly otherwise. */
export { cryptoBackend, cryptoChoice, ensureCryptoReady, nativeSupport, primitives, useCryptoBackend } from './backend.js';
export type { CryptoChoice, CryptoMode, PrimitiveSource } from './backend.js';
export type { AeadKey, PrimitiveName, Primitives, ScryptParams } from './types.js';

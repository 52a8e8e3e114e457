/** The engine's content layer: age encryption, keyed hashing and sealing, content-defined chunking, compression. */
export * from './age/index.js';
export * from './hashing.js';
export * from './chunker.js';
export * from './compression.js';
export * from './runtime-support.js';

/**
 * `init`: a new repository (format v1) with fresh keys, or with the keys of another repository (shareKeysWith).
 */
import { randomBytes } from 'node:crypto';
import { systemClock } from '../base/clock.js';
import { RempartError } from '../base/errors.js';
import { CHUNK_PROFILES, GEAR_SEED, NORMALIZATION, SINGLE_BLOB_MAX, SMALL_CHUNKS_FROM } from '../content/chunker.js';
import { CODECS } from '../content/compression.js';
import type { InitResult } from '../api.js';
import type { BlobStore } from './blob-store.js';
import { hasConfig, writeConfig } from './config-file.js';
import { credentialsOf, newKeys, writeKeyFiles, writerCheckOf } from './keys.js';
import { writeRestoreReadmes } from './restore-readme.js';
import { clampPackSize, FORMAT_NAME, FORMAT_VERSION, type CreateOptions, type RepoConfig } from './types.js';

/** Chunker parameters recorded in config.json (their meaning: electron/engine/content/README.md). */
export const DEFAULT_CHUNKER: Record<string, unknown> = {
  algorithm: 'fastcdc-gear',
  gearSeed: GEAR_SEED,
  normalization: NORMALIZATION,
  singleBlobMax: SINGLE_BLOB_MAX,
  smallChunksFrom: SMALL_CHUNKS_FROM,
  profiles: CHUNK_PROFILES,
};

export async function createRepository(store: BlobStore, opts: CreateOptions): Promise<InitResult> {
  if (await hasConfig(store)) throw new RempartError('REPOSITORY_EXISTS', `${store.location}: a repository already exists here`);
  const clock = opts.clock ?? systemClock;
  const keys = newKeys(opts.shareKeysWith);
  const config: RepoConfig = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    id: randomBytes(16).toString('hex'),
    createdAt: new Date(clock.now()).toISOString(),
    recipient: keys.recipient,
    chunker: opts.chunker ?? DEFAULT_CHUNKER,
    packSize: clampPackSize(opts.packSize),
    codecs: [...CODECS], // every codec a blob may use (a repository created on Node 20 receives zstd blobs from the app later)
    writerCheck: writerCheckOf(keys.writerKey),
  };
  // Keys and notes first, config.json last: a folder without config.json is not a repository, so an interrupted init can be redone.
  await writeKeyFiles(store, keys, opts.passphrase, opts.scryptWorkFactor);
  await writeRestoreReadmes(store, config.id, config.recipient);
  await writeConfig(store, config);
  return { repoId: config.id, recoveryKey: keys.identity as string, credentials: credentialsOf(config, keys) };
}

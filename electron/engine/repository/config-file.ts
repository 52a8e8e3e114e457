/**
 * config.json: the plain-JSON marker that makes a folder a Rempart repository (readable with no secret).
 */
import { RempartError } from '../base/errors.js';
import { isExists, isNotFound, type BlobStore } from './blob-store.js';
import { FORMAT_NAME, FORMAT_VERSION, type RepoConfig } from './types.js';

export const CONFIG_PATH = 'config.json';

/** Parses and validates config.json. NOT_A_REPOSITORY for anything else, FORMAT_TOO_NEW for a newer version. */
export function parseConfig(buf: Buffer, location: string): RepoConfig {
  let v: Partial<RepoConfig>;
  try {
    v = JSON.parse(buf.toString('utf8')) as Partial<RepoConfig>;
  } catch {
    throw new RempartError('NOT_A_REPOSITORY', `${location}: config.json is not JSON`, { details: { location } });
  }
  if (typeof v !== 'object' || v === null || v.format !== FORMAT_NAME) {
    throw new RempartError('NOT_A_REPOSITORY', `${location}: config.json is not a ${FORMAT_NAME} config`, { details: { location } });
  }
  if (typeof v.version !== 'number' || !Number.isInteger(v.version) || v.version < 1) {
    throw new RempartError('DATA_CORRUPT', `${location}: config.json has an invalid version`, { details: { location } });
  }
  if (v.version > FORMAT_VERSION) {
    throw new RempartError('FORMAT_TOO_NEW', `${location}: repository format v${v.version} is newer than this Rempart (v${FORMAT_VERSION})`, {
      details: { location, version: v.version, supported: FORMAT_VERSION },
    });
  }
  if (typeof v.id !== 'string' || typeof v.recipient !== 'string' || !v.recipient.startsWith('age1') || typeof v.packSize !== 'number') {
    throw new RempartError('DATA_CORRUPT', `${location}: config.json is missing id, recipient or packSize`, { details: { location } });
  }
  return {
    format: FORMAT_NAME,
    version: v.version,
    id: v.id,
    createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
    recipient: v.recipient,
    chunker: typeof v.chunker === 'object' && v.chunker !== null ? v.chunker : {},
    packSize: v.packSize,
    codecs: Array.isArray(v.codecs) ? v.codecs.map(String) : ['raw'],
    ...(typeof v.writerCheck === 'string' ? { writerCheck: v.writerCheck } : {}),
  };
}

export async function readConfig(store: BlobStore): Promise<RepoConfig> {
  let buf: Buffer;
  try {
    buf = await store.read(CONFIG_PATH);
  } catch (err) {
    if (isNotFound(err)) {
      throw new RempartError('NOT_A_REPOSITORY', `${store.location}: no config.json, not a Rempart repository`, {
        details: { location: store.location },
      });
    }
    throw err;
  }
  return parseConfig(buf, store.location);
}

/** True when the store holds a config.json (of any kind). */
export async function hasConfig(store: BlobStore): Promise<boolean> {
  return (await store.stat(CONFIG_PATH)) !== null;
}

/** Writes config.json once; REPOSITORY_EXISTS if one appeared meanwhile. */
export async function writeConfig(store: BlobStore, config: RepoConfig): Promise<void> {
  const buf = Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
  try {
    await store.write(CONFIG_PATH, buf, buf.length, { overwrite: false });
  } catch (err) {
    if (isExists(err)) throw new RempartError('REPOSITORY_EXISTS', `${store.location}: a repository already exists here`);
    throw err;
  }
}

/**
 * Repository keys (docs/FORMAT.md, "Keys"):
 *  - the age X25519 identity ("AGE-SECRET-KEY-1…", the recovery key) decrypts packs and manifests; it is stored only in
 *    keys/identity.age, wrapped by the user's passphrase (age scrypt);
 *  - the 32-byte writer key derives the blob-id key and the seal key (index, snapshot listings); it is stored in
 *    keys/writer.age, encrypted to the repository recipient, so the passphrase or the recovery key lead to it.
 * A write-only machine gets the recipient and the writer key (WriterCredentials) and nothing else.
 */
import { randomBytes } from 'node:crypto';
import { RempartError } from '../base/errors.js';
import { decrypt, encrypt, generateIdentity, recipientOf } from '../content/age/index.js';
import { blobId, deriveKeys } from '../content/hashing.js';
import type { RepoSecret, WriterCredentials } from '../api.js';
import { isNotFound, type BlobStore } from './blob-store.js';
import type { RepoConfig } from './types.js';

export const IDENTITY_PATH = 'keys/identity.age';
export const WRITER_PATH = 'keys/writer.age';
export const WRITER_KEY_BYTES = 32;
export const WRITER_CHECK_INPUT = 'rempart/v1/writer-key-check';
/**
 * scrypt work factor (log2 N) for new keys/identity.age files: 16 = 64 MiB and ~0.6 s here, restic's memory budget (60 MiB).
 * Backups open with writer credentials and never run scrypt; readers accept up to MAX_SCRYPT_WORK_FACTOR (22).
 */
export const REPO_SCRYPT_WORK_FACTOR = 16;

/** config.json → writerCheck for a writer key. */
export function writerCheckOf(writerKey: Buffer): string {
  return blobId(deriveKeys(writerKey).idKey, Buffer.from(WRITER_CHECK_INPUT));
}

export interface RepoKeys {
  /** null when opened with writer credentials only. */
  identity: string | null;
  recipient: string;
  writerKey: Buffer;
}

export function credentialsOf(config: RepoConfig, keys: RepoKeys): WriterCredentials {
  return { repoId: config.id, recipient: config.recipient, writerKey: keys.writerKey.toString('base64') };
}

export function newKeys(share?: { recoveryKey: string; writer: WriterCredentials }): RepoKeys {
  if (share) {
    const identity = share.recoveryKey.trim();
    const recipient = checkedRecipient(identity);
    if (recipient !== share.writer.recipient) {
      throw new RempartError('WRONG_PASSPHRASE', 'shareKeysWith: the recovery key does not match the writer credentials');
    }
    return { identity, recipient, writerKey: decodeWriterKey(share.writer.writerKey) };
  }
  const { identity, recipient } = generateIdentity();
  return { identity, recipient, writerKey: randomBytes(WRITER_KEY_BYTES) };
}

function checkedRecipient(identity: string): string {
  try {
    return recipientOf(identity);
  } catch (err) {
    throw new RempartError('WRONG_PASSPHRASE', 'the recovery key is not a valid age identity (AGE-SECRET-KEY-1…)', { cause: err });
  }
}

export function decodeWriterKey(b64: string): Buffer {
  const key = Buffer.from(b64, 'base64');
  if (key.length !== WRITER_KEY_BYTES) throw new RempartError('WRONG_PASSPHRASE', 'writer key must be 32 bytes of base64');
  return key;
}

/** keys/identity.age: the identity text, age-encrypted with the passphrase (scrypt). */
export async function wrapIdentity(identity: string, passphrase: string, workFactor?: number): Promise<Buffer> {
  if (passphrase.length === 0) throw new RempartError('INVALID_INPUT', 'the passphrase must not be empty');
  return encrypt(Buffer.from(`${identity}\n`), [{ type: 'scrypt', passphrase, workFactor: workFactor ?? REPO_SCRYPT_WORK_FACTOR }]);
}

/** keys/writer.age: JSON {"writerKey": base64}, age-encrypted to the repository recipient. */
export async function wrapWriterKey(writerKey: Buffer, recipient: string): Promise<Buffer> {
  return encrypt(Buffer.from(JSON.stringify({ writerKey: writerKey.toString('base64') })), [{ type: 'x25519', recipient }]);
}

export async function writeKeyFiles(store: BlobStore, keys: RepoKeys, passphrase: string, workFactor?: number): Promise<void> {
  if (!keys.identity) throw new RempartError('SECRET_REQUIRED', 'writing key files needs the identity');
  const id = await wrapIdentity(keys.identity, passphrase, workFactor);
  await store.write(IDENTITY_PATH, id, id.length, { overwrite: true });
  const w = await wrapWriterKey(keys.writerKey, keys.recipient);
  await store.write(WRITER_PATH, w, w.length, { overwrite: true });
}

async function readKeyFile(store: BlobStore, path: string): Promise<Buffer> {
  try {
    return await store.read(path);
  } catch (err) {
    if (isNotFound(err)) throw new RempartError('DATA_CORRUPT', `${store.location}: ${path} is missing`, { details: { path } });
    throw err;
  }
}

/** Turns a secret into keys, checking it against config.json. WRONG_PASSPHRASE when it does not open the repository. */
export async function unlockKeys(store: BlobStore, config: RepoConfig, secret: RepoSecret): Promise<RepoKeys> {
  if ('writer' in secret) {
    const w = secret.writer;
    if (w.recipient !== config.recipient || (w.repoId && w.repoId !== config.id)) {
      throw new RempartError('WRONG_PASSPHRASE', 'writer credentials belong to another repository');
    }
    const writerKey = decodeWriterKey(w.writerKey);
    if (config.writerCheck !== undefined && writerCheckOf(writerKey) !== config.writerCheck) {
      throw new RempartError('WRONG_PASSPHRASE', 'the writer key does not belong to this repository');
    }
    return { identity: null, recipient: config.recipient, writerKey };
  }
  let identity: string;
  if ('passphrase' in secret) {
    const wrapped = await readKeyFile(store, IDENTITY_PATH);
    try {
      identity = (await decrypt(wrapped, [{ type: 'scrypt', passphrase: secret.passphrase }])).toString('utf8').trim();
    } catch (err) {
      if (err instanceof RempartError && err.code === 'WRONG_PASSPHRASE') {
        throw new RempartError('WRONG_PASSPHRASE', 'the passphrase does not open this repository', { cause: err });
      }
      throw err;
    }
  } else {
    identity = secret.recoveryKey.trim();
  }
  if (checkedRecipient(identity) !== config.recipient) {
    throw new RempartError('WRONG_PASSPHRASE', 'this recovery key belongs to another repository');
  }
  const wrapped = await readKeyFile(store, WRITER_PATH);
  const plain = await decrypt(wrapped, [{ type: 'x25519', identity }]);
  let writerKey: Buffer;
  try {
    writerKey = decodeWriterKey(String((JSON.parse(plain.toString('utf8')) as { writerKey?: unknown }).writerKey));
  } catch (err) {
    throw new RempartError('DATA_CORRUPT', `${WRITER_PATH} does not hold a writer key`, { cause: err });
  }
  return { identity, recipient: config.recipient, writerKey };
}

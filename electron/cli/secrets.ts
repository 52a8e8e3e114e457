import type { RepoSecret, WriterCredentials } from '../engine/index.js';
import { UsageError } from './args.js';
import { promptHidden } from './terminal.js';

/**
 * Secrets for the CLI: from the environment (REMPART_PASSPHRASE, REMPART_RECOVERY_KEY, REMPART_WRITER_KEY,
 * REMPART_WEBDAV_PASSWORD) or, on a terminal, a hidden prompt on stderr (terminal.ts). Never echoed, never logged.
 */

export function decodeWriterKey(text: string): WriterCredentials {
  try {
    const parsed = JSON.parse(Buffer.from(text.trim(), 'base64').toString('utf8')) as WriterCredentials;
    if (typeof parsed.repoId !== 'string' || typeof parsed.recipient !== 'string' || typeof parsed.writerKey !== 'string') {
      throw new Error('missing fields');
    }
    return parsed;
  } catch (err) {
    throw new UsageError(`REMPART_WRITER_KEY is not a valid writer key (${(err as Error).message})`);
  }
}

export function encodeWriterKey(c: WriterCredentials): string {
  return Buffer.from(JSON.stringify(c)).toString('base64');
}

/** The secret to open a repository with. `needRead` excludes write-only credentials. */
export async function repoSecret(opts: { needRead: boolean }): Promise<RepoSecret> {
  const env = process.env;
  if (env.REMPART_PASSPHRASE) return { passphrase: env.REMPART_PASSPHRASE };
  if (env.REMPART_RECOVERY_KEY) return { recoveryKey: env.REMPART_RECOVERY_KEY.trim() };
  if (!opts.needRead && env.REMPART_WRITER_KEY) return { writer: decodeWriterKey(env.REMPART_WRITER_KEY) };
  return { passphrase: await promptHidden('Passphrase: ', opts.needRead ? 'REMPART_PASSPHRASE or REMPART_RECOVERY_KEY' : 'REMPART_PASSPHRASE, REMPART_RECOVERY_KEY or REMPART_WRITER_KEY') };
}

/** A new passphrase (init, passwd): REMPART_NEW_PASSPHRASE / REMPART_PASSPHRASE, or asked twice. */
export async function newPassphrase(envName: 'REMPART_PASSPHRASE' | 'REMPART_NEW_PASSPHRASE'): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const a = await promptHidden('New passphrase: ', envName);
  const b = await promptHidden('Repeat the passphrase: ', envName);
  if (a !== b) throw new UsageError('the two passphrases differ');
  if (a.length === 0) throw new UsageError('the passphrase must not be empty');
  return a;
}

/** WebDAV password: REMPART_WEBDAV_PASSWORD or a prompt, only for http(s) repositories with a user name. */
export async function webdavPassword(repo: string): Promise<string | undefined> {
  if (!/^https?:\/\//i.test(repo)) return undefined;
  if (process.env.REMPART_WEBDAV_PASSWORD !== undefined) return process.env.REMPART_WEBDAV_PASSWORD;
  const url = new URL(repo);
  if (url.password) return decodeURIComponent(url.password);
  if (!url.username) return undefined;
  return promptHidden(`Password for ${decodeURIComponent(url.username)}@${url.host}: `, 'REMPART_WEBDAV_PASSWORD');
}

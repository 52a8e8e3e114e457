import type { RepoSecret, WriterCredentials } from '../engine/index.js';
import { UsageError } from './args.js';

/**
 * Secrets for the CLI: from the environment (REMPART_PASSPHRASE, REMPART_RECOVERY_KEY, REMPART_WRITER_KEY,
 * REMPART_WEBDAV_PASSWORD) or, on a terminal, a hidden prompt on stderr. Never echoed, never logged.
 */

/** Reads a line from the terminal without echoing it. */
export async function promptHidden(question: string, envHint: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError(`no secret given and no terminal to ask on: set ${envHint}`);
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

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

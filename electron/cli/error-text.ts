import { RempartError, type ErrorInfo } from '../engine/index.js';
import { UsageError } from './args.js';

/** One plain English sentence per error code, for the `error CODE: …` line. */
const PLAIN: Partial<Record<ErrorInfo['code'], string>> = {
  WRONG_PASSPHRASE: 'the passphrase does not open this repository',
  SECRET_REQUIRED: 'this needs the passphrase or the recovery key (a writer key only allows backing up)',
  NOT_A_REPOSITORY: 'this is not a Rempart repository',
  REPOSITORY_EXISTS: 'a repository already exists there',
  FORMAT_TOO_NEW: 'this repository was written by a newer Rempart; update Rempart to use it',
  REPOSITORY_LOCKED: 'another Rempart process is using this repository; try again when it has finished',
  DATA_CORRUPT: 'some stored data is damaged',
  DATA_MISSING: 'some stored data is missing',
  SNAPSHOT_NOT_FOUND: 'no such snapshot',
  DRIVE_NOT_PLUGGED: 'the backup drive is not connected',
  DRIVE_UNPLUGGED: 'the backup drive went away during the operation',
  DISK_FULL: 'the backup drive is full',
  READ_ONLY: 'the repository cannot be written (read-only or permission denied)',
  FILE_TOO_LARGE: 'a file is too large for this drive',
  NETWORK_UNREACHABLE: 'the server cannot be reached',
  NETWORK_STALLED: 'the connection stalled',
  SERVER_ERROR: 'the server keeps failing',
  AUTH_FAILED: 'the server refused the user name or password',
  SERVER_NOT_FOUND: 'nothing was found at this server address',
  QUOTA_EXCEEDED: 'the server space is full',
  TLS_ERROR: 'the server certificate is not valid',
  INSECURE_URL: 'refusing unencrypted http:// to another machine (use https://, or --insecure-http)',
  SOURCE_MISSING: 'a folder to back up does not exist',
  PATH_ESCAPE: 'the snapshot holds a path that would leave the restore folder',
  CANCELLED: 'cancelled',
  INVALID_INPUT: 'invalid input',
};

/** Codes whose engine message adds nothing a user needs (and may only repeat the sentence). */
const TERSE = new Set<ErrorInfo['code']>(['WRONG_PASSPHRASE', 'CANCELLED']);

export function errorLine(err: unknown): { line: string; code: ErrorInfo['code'] } {
  if (err instanceof UsageError) return { line: `error INVALID_INPUT: ${err.message} (see rempart --help)`, code: 'INVALID_INPUT' };
  const info: ErrorInfo =
    err instanceof RempartError ? err.toInfo() : { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
  return { line: formatInfo(info), code: info.code };
}

export function formatInfo(info: ErrorInfo): string {
  const plain = PLAIN[info.code];
  const oneLine = info.message.replace(/\s+/g, ' ').trim();
  if (!plain) return `error ${info.code}: ${oneLine}`;
  if (TERSE.has(info.code) || oneLine.length === 0 || oneLine === plain) return `error ${info.code}: ${plain}`;
  return `error ${info.code}: ${plain} (${oneLine})`;
}

import type { ErrorCode, ErrorInfo } from '../../contract/errors.js';

/**
 * An expected failure with a stable code (restic's `errors.Fatal`, Kopia's sentinel errors).
 * `retryable` tells retry loops whether trying again may help (restic `IsPermanentError`).
 */
export class RempartError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details?: Record<string, string | number | boolean>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown; details?: Record<string, string | number | boolean> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RempartError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, details: this.details, retryable: this.retryable };
  }
}

/** A programming error: never turned into friendly text (VS Code's BugIndicatingError). */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}

export function isRempartError(err: unknown, code?: ErrorCode): err is RempartError {
  return err instanceof RempartError && (code === undefined || err.code === code);
}

/** Converts anything thrown into an ErrorInfo for a boundary (journal, IPC, bridge). */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof RempartError) return err.toInfo();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'UNKNOWN', message };
}

/**
 * Errnos of a drive that went away: ENOTCONN for a dead FUSE mount, ECONNABORTED for the requests a FUSE daemon had in
 * flight when it died, EIO/ENODEV/ENXIO from block devices, ESTALE from network mounts.
 */
const UNPLUG_ERRNOS = new Set(['ENOTCONN', 'ECONNABORTED', 'EIO', 'ENODEV', 'ENXIO', 'ESTALE']);

/** True for an errno that means the drive is gone (see UNPLUG_ERRNOS). */
export function isUnplugErrno(code: string | undefined): boolean {
  return UNPLUG_ERRNOS.has(code ?? '');
}
const FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Maps a Node filesystem error on a *target* drive to a RempartError.
 * fusefat reports a full FAT32 volume as EPERM, so callers pass `maybeFull` when statfs says little space is left.
 */
export function fsErrorToRempart(err: unknown, context: string, opts: { maybeFull?: boolean } = {}): Error {
  if (err instanceof RempartError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const msg = `${context}: ${(err as Error | undefined)?.message ?? String(err)}`;
  if (UNPLUG_ERRNOS.has(code)) return new RempartError('DRIVE_UNPLUGGED', msg, { cause: err, retryable: true });
  if (FULL_ERRNOS.has(code) || (code === 'EPERM' && opts.maybeFull)) return new RempartError('DISK_FULL', msg, { cause: err });
  if (code === 'EFBIG') return new RempartError('FILE_TOO_LARGE', msg, { cause: err });
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return new RempartError('READ_ONLY', msg, { cause: err });
  return err instanceof Error ? err : new Error(msg);
}

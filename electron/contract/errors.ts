/**
 * Stable, machine-readable error codes shared by the engine, the host, the bridge and the UI.
 * The UI turns each code into one plain-language sentence plus the action to take
 * (renderer/i18n/*). Engine messages stay technical and English, for logs only.
 * This file imports nothing.
 */
export const ERROR_CODES = [
  // secrets
  'WRONG_PASSPHRASE', // passphrase or recovery key does not open the repository
  'SECRET_REQUIRED', // the operation needs the passphrase or recovery key (write-only credentials are not enough)
  // repository
  'NOT_A_REPOSITORY', // the folder / URL holds no Rempart repository
  'REPOSITORY_EXISTS', // init on a non-empty repository
  'FORMAT_TOO_NEW', // written by a newer Rempart
  'REPOSITORY_LOCKED', // another process is writing it
  'DATA_CORRUPT', // a pack, index or snapshot failed its hash / authentication check
  'DATA_MISSING', // a pack referenced by a snapshot is gone
  'SNAPSHOT_NOT_FOUND',
  // drives
  'DRIVE_NOT_PLUGGED', // the enrolled USB drive is not connected
  'DRIVE_UNPLUGGED', // the drive went away during the run (ENOTCONN, EIO, ENODEV, device changed)
  'DRIVE_NOT_ENROLLED', // refusing to write to a drive that was not enrolled
  'DISK_FULL', // ENOSPC / EDQUOT / FAT "EPERM when full"
  'READ_ONLY', // EROFS / EACCES on the target
  'FILE_TOO_LARGE', // EFBIG (FAT32 4 GiB)
  // network / WebDAV
  'NETWORK_UNREACHABLE', // DNS, refused, reset, no route; retried then reported
  'NETWORK_STALLED', // no progress within the watchdog window
  'SERVER_ERROR', // 5xx after retries
  'AUTH_FAILED', // 401 / 403: wrong user or app password
  'SERVER_NOT_FOUND', // 404 on the base URL: wrong address
  'QUOTA_EXCEEDED', // 507 or not enough free space announced
  'TLS_ERROR', // certificate problem; never bypassed silently
  'INSECURE_URL', // http:// to a non-loopback host without the explicit opt-in
  'SERVER_UNSUPPORTED', // the server misbehaves in a way we cannot work around
  // sources
  'SOURCE_MISSING', // a folder to protect does not exist
  'TARGET_NOT_EMPTY', // restore refused to write somewhere unsafe
  'PATH_ESCAPE', // an entry tries to leave the restore target
  // orchestration
  'ALREADY_RUNNING',
  'CANCELLED',
  'INTERRUPTED', // a run died (crash, kill, power cut) and was found on restart
  'NOT_CONFIGURED',
  'INVALID_CONFIG',
  'INVALID_INPUT', // a payload failed validation at the API edge
  'UNKNOWN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses a process boundary: never an Error object (Electron keeps only `message`). */
export interface ErrorInfo {
  code: ErrorCode;
  /** Technical English message, for logs and the "details" disclosure. Never contains credentials. */
  message: string;
  /** Values the plain-language sentence may interpolate (drive label, file path, server host, needed bytes…). */
  details?: Record<string, string | number | boolean>;
  retryable?: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

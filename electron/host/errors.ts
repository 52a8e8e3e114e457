/**
 * Host-side errors. The host may not import engine internals, so it recognises engine errors structurally
 * (any Error carrying a known ErrorCode in `code`) and turns everything into an ErrorInfo at its boundary.
 */
import { isErrorCode, type ErrorCode, type ErrorInfo, type Result } from '../contract/errors.js';

export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** Converts anything thrown (HostError, the engine's RempartError, a plain Error) into an ErrorInfo. */
export function errorInfo(err: unknown): ErrorInfo {
  const e = err as { code?: unknown; message?: unknown; details?: unknown; retryable?: unknown } | null;
  if (e && typeof e === 'object' && isErrorCode(e.code)) {
    const info: ErrorInfo = { code: e.code, message: String(e.message ?? e.code) };
    if (e.details && typeof e.details === 'object') info.details = e.details as ErrorInfo['details'];
    if (typeof e.retryable === 'boolean') info.retryable = e.retryable;
    return info;
  }
  if (e && typeof e === 'object' && (e as Error).name === 'AbortError') return { code: 'CANCELLED', message: 'cancelled' };
  return { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string, details?: ErrorInfo['details']): Result<T> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/** Runs fn and wraps its value or error in a Result: the API never throws. */
export async function attempt<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (err) {
    return { ok: false, error: errorInfo(err) };
  }
}

/**
 * Turns what the webdav client / node-fetch / Node throw into RempartErrors with the right code, and makes sure no
 * credential ever leaves in a message. Messages are built from our own words plus scrubbed error text; the raw error
 * (which may hold a node-fetch Response) is never attached as `cause`.
 */
import { RempartError } from '../../base/errors.js';
import { BlobStoreError } from '../../repository/blob-store.js';
import type { ErrorCode } from '../../../contract/errors.js';
import { redactUrlCredentials } from './url-policy.js';

/** Removes every form of the secrets (raw, URL-encoded, Basic header) and URL userinfo from a text. */
export class Scrubber {
  private readonly needles: string[];

  constructor(username: string | undefined, password: string | undefined) {
    const n = new Set<string>();
    if (password) {
      n.add(password);
      n.add(encodeURIComponent(password));
      n.add(Buffer.from(`${username ?? ''}:${password}`).toString('base64'));
    }
    this.needles = [...n].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = redactUrlCredentials(text).replace(/(authorization\s*[:=]\s*)(basic|bearer)\s+\S+/gi, '$1$2 ***');
    for (const s of this.needles) out = out.split(s).join('***');
    return out;
  }
}

/** Why a request was aborted by us (set as the AbortSignal reason). */
export class StallAbort extends Error {
  constructor(readonly idleMs: number) {
    super(`no progress for ${idleMs} ms`);
    this.name = 'StallAbort';
  }
}

export class DeadlineAbort extends Error {
  constructor(readonly deadlineMs: number) {
    super(`request deadline of ${deadlineMs} ms exceeded`);
    this.name = 'DeadlineAbort';
  }
}

export interface Classified {
  code: ErrorCode;
  retryable: boolean;
  /** Server-requested delay (429/503 Retry-After), ms. */
  retryAfterMs?: number;
  status?: number;
  detail: string;
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EHOSTDOWN', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'EADDRNOTAVAIL',
]);
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)|HOSTNAME_MISMATCH|EPROTO)/;

function errCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e?.cause && typeof e.cause.code === 'string') return e.cause.code;
  return '';
}

/** Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

function headerOf(err: unknown, name: string): string | null {
  const h = (err as { response?: { headers?: { get?: (n: string) => string | null } } } | null)?.response?.headers;
  return typeof h?.get === 'function' ? h.get(name) : null;
}

export function classifyStatus(status: number): Omit<Classified, 'detail'> {
  if (status === 401 || status === 403) return { code: 'AUTH_FAILED', retryable: false, status };
  if (status === 404 || status === 410) return { code: 'SERVER_NOT_FOUND', retryable: false, status };
  if (status === 507 || status === 413) return { code: status === 507 ? 'QUOTA_EXCEEDED' : 'SERVER_UNSUPPORTED', retryable: false, status };
  if (status === 408 || status === 423 || status === 425 || status === 429 || status >= 500) {
    return { code: 'SERVER_ERROR', retryable: status !== 501 && status !== 505, status };
  }
  if (status >= 300 && status < 400) return { code: 'SERVER_NOT_FOUND', retryable: false, status };
  return { code: 'SERVER_UNSUPPORTED', retryable: false, status };
}

/** Classifies anything thrown during a request. `userSignal` tells a user cancel from our own aborts. */
export function classify(err: unknown, now: number, userSignal?: AbortSignal): Classified {
  if (err instanceof RempartError) return { code: err.code, retryable: err.retryable, detail: err.message };
  if (err instanceof BlobStoreError) return { code: 'UNKNOWN', retryable: false, detail: err.message };
  const message = err instanceof Error ? err.message : String(err);
  const status = statusOf(err);
  if (status !== undefined) {
    const c = classifyStatus(status);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headerOf(err, 'retry-after'), now) : undefined;
    return { ...c, retryAfterMs, detail: `HTTP ${status}` };
  }
  if (userSignal?.aborted) return { code: 'CANCELLED', retryable: false, detail: 'cancelled' };
  const reason = findAbortReason(err);
  if (reason instanceof StallAbort) return { code: 'NETWORK_STALLED', retryable: true, detail: reason.message };
  if (reason instanceof DeadlineAbort) return { code: 'NETWORK_STALLED', retryable: true, detail: reason.message };
  const code = errCode(err);
  if (code === 'ERR_REMPART_INSECURE') return { code: 'INSECURE_URL', retryable: false, detail: message };
  if (TLS_CODE.test(code) || /certificate|ssl|tls/i.test(message)) {
    return { code: 'TLS_ERROR', retryable: false, detail: `${code || 'TLS'}: ${message}` };
  }
  if (code === 'ENOTFOUND') return { code: 'NETWORK_UNREACHABLE', retryable: false, detail: `${code}: ${message}` };
  if (NETWORK_CODES.has(code) || /socket hang up|aborted|premature close|network/i.test(message)) {
    return { code: 'NETWORK_UNREACHABLE', retryable: true, detail: `${code || 'network'}: ${message}` };
  }
  if ((err as { name?: string } | null)?.name === 'AbortError') {
    return { code: 'NETWORK_STALLED', retryable: true, detail: message };
  }
  return { code: 'UNKNOWN', retryable: false, detail: message };
}

function findAbortReason(err: unknown): unknown {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if (e instanceof StallAbort || e instanceof DeadlineAbort) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Builds the final error for an operation (after retries), scrubbed. */
export function toRempartError(
  c: Classified,
  op: string,
  scrubber: Scrubber,
  extra: { attempts?: number; host?: string } = {},
): RempartError {
  const tries = extra.attempts && extra.attempts > 1 ? ` (after ${extra.attempts} attempts)` : '';
  const hint = HINTS[c.code] ? `; ${HINTS[c.code]}` : '';
  const message = scrubber.scrub(`${op}: ${c.detail}${tries}${hint}`);
  const details: Record<string, string | number | boolean> = {};
  if (extra.host) details.host = extra.host;
  if (c.status !== undefined) details.status = c.status;
  return new RempartError(c.code, message, { retryable: c.retryable, details });
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED: 'check the user name and the (app) password',
  SERVER_NOT_FOUND: 'check the server address and folder',
  QUOTA_EXCEEDED: 'free space on the server or raise the quota',
  TLS_ERROR: 'the server certificate is not trusted; fix the certificate or the address',
  NETWORK_STALLED: 'the connection stopped making progress',
};

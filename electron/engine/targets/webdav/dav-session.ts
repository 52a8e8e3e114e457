/**
 * One WebDAV endpoint: the webdav client, its HTTP agents, and the rules every request follows here: a deadline and an
 * idle watchdog (RequestGuard), no redirect ever followed (so credentials cannot travel to another host), bounded
 * retries of transient failures, and errors classified and scrubbed of credentials.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { Response } from 'node-fetch';
import type { WebDAVClient } from 'webdav';
import { systemClock, type Clock } from '../../base/clock.js';
import { RempartError } from '../../base/errors.js';
import { BlobStoreError } from '../../repository/blob-store.js';
import { classify, Scrubber, toRempartError, type Classified } from './errors.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { checkPrivateResolution, parseWebdavUrl, privateOnlyLookup, resolvePath, type ParsedWebdavUrl } from './url-policy.js';
import { RequestGuard } from './watchdog.js';

export interface DavSessionOptions {
  url: string;
  username?: string;
  password?: string;
  allowInsecureHttp?: boolean;
  /** No-progress watchdog for every request (default 60 s). */
  idleTimeoutMs?: number;
  /** Deadline of a request without a large body (default 5 min). */
  requestDeadlineMs?: number;
  /** Slowest throughput still accepted when computing the deadline of a large transfer (default 8 KiB/s). */
  minThroughputBps?: number;
  retry?: RetryPolicy;
  clock?: Clock;
  /** Told about each retry (technical, scrubbed message): for logs. */
  onRetry?: (message: string) => void;
}

export interface DavRequest {
  method: string;
  /** Repository-relative path ('' = the base collection). */
  path: string;
  collection?: boolean;
  /** Absolute URL on the same origin, instead of `path` (the base's parent folder). */
  url?: string;
  headers?: Record<string, string>;
  body?: Readable | Buffer | string;
  /** Bytes expected to move (upload or download): extends the deadline. */
  transferBytes?: number;
  signal?: AbortSignal;
  /** Statuses returned to the caller instead of thrown (e.g. 404, 412). */
  accept?: number[];
  /** Receives the request's guard as soon as it exists (an upload body re-arms the idle watchdog with it). */
  onGuard?: (guard: RequestGuard) => void;
}

export interface DavResponse {
  res: Response;
  guard: RequestGuard;
}

/**
 * The webdav client library, loaded with the first WebDAV session: a process that only backs up to drives never runs its
 * modules, nor node-fetch's, which load Node's own fetch implementation (undici). With node:http taken through require()
 * in the bundles (scripts/build.mjs), a backup to a drive peaks 2.5 MB lower.
 */
let library: Promise<typeof import('webdav')> | null = null;
export function webdavLibrary(): Promise<typeof import('webdav')> {
  library ??= Promise.all([import('webdav'), import('node-fetch')]).then(([webdav, { default: nodeFetch }]) => {
    patchFetch(webdav, nodeFetch);
    return webdav;
  });
  return library;
}

/** Signals of our requests: only those get `redirect: 'manual'` in the shared patched fetch. */
const ourSignals = new WeakSet<AbortSignal>();
function patchFetch(webdav: typeof import('webdav'), nodeFetch: typeof import('node-fetch').default): void {
  webdav.getPatcher().patch('fetch', (...args: unknown[]) => {
    const url = args[0] as string;
    const init = (args[1] ?? {}) as Record<string, unknown>;
    const signal = init.signal as AbortSignal | undefined;
    return nodeFetch(url, signal && ourSignals.has(signal) ? { ...init, redirect: 'manual' } : init);
  });
}

export class DavSession {
  readonly parsed: ParsedWebdavUrl;
  readonly location: string;
  private client: Promise<WebDAVClient> | null = null;
  private readonly credentials: { username?: string; password?: string };
  readonly clock: Clock;
  readonly scrubber: Scrubber;
  readonly idleMs: number;
  private readonly deadlineMs: number;
  private readonly minBps: number;
  readonly retry: Required<RetryPolicy>;
  private readonly agent: http.Agent | https.Agent;
  private resolved: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly opts: DavSessionOptions) {
    this.parsed = parseWebdavUrl(opts.url, { allowInsecureHttp: opts.allowInsecureHttp });
    this.location = this.parsed.location;
    const username = opts.username ?? this.parsed.username;
    const password = opts.password ?? this.parsed.password;
    this.scrubber = new Scrubber(username, password);
    this.clock = opts.clock ?? systemClock;
    this.idleMs = opts.idleTimeoutMs ?? 60_000;
    this.deadlineMs = opts.requestDeadlineMs ?? 5 * 60_000;
    this.minBps = opts.minThroughputBps ?? 8 * 1024;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    // Certificates are always verified (rejectUnauthorized stays true): a TLS error is reported, never bypassed.
    this.agent = this.parsed.base.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: true })
      : new http.Agent({
        keepAlive: true,
        maxSockets: 8,
        // Plain http to a host name: every connection re-checks that the name still resolves to a private address
        // (a DNS answer that changes after the first check must not send credentials in clear to the internet).
        ...(this.parsed.needsPrivateResolution ? { lookup: privateOnlyLookup } : {}),
      });
    this.credentials = { username, password };
  }

  private webdavClient(): Promise<WebDAVClient> {
    this.client ??= webdavLibrary().then((webdav) =>
      webdav.createClient(this.parsed.location, {
        ...this.credentials,
        httpAgent: this.agent as http.Agent,
        httpsAgent: this.agent as https.Agent,
      }),
    );
    return this.client;
  }

  get host(): string {
    return this.parsed.base.host;
  }

  url(path: string, collection = false): string {
    return resolvePath(this.parsed.base, path, { collection });
  }

  /** One attempt of one request. The caller must call guard.done() once the body is consumed (send() does it for bodiless use). */
  async open(req: DavRequest): Promise<DavResponse> {
    if (this.closed) throw new RempartError('CANCELLED', 'the WebDAV store is closed');
    if (!this.resolved) {
      this.resolved = checkPrivateResolution(this.parsed).catch((err: unknown) => {
        this.resolved = null; // a DNS hiccup is retried next time
        throw err;
      });
    }
    await this.resolved;
    const extra = req.transferBytes ? (req.transferBytes / this.minBps) * 1000 : 0;
    const guard = new RequestGuard(this.clock, this.idleMs, this.deadlineMs + extra, req.signal);
    ourSignals.add(guard.signal);
    req.onGuard?.(guard);
    try {
      const client = await this.webdavClient();
      const res = (await client.customRequest('', {
        url: req.url ?? this.url(req.path, req.collection),
        method: req.method,
        headers: req.headers,
        data: req.body,
        signal: guard.signal,
      })) as unknown as Response;
      guard.touch();
      if (res.status >= 300 && res.status < 400) {
        res.body?.resume?.();
        const to = res.headers.get('location') ?? '?';
        throw new RempartError(
          'SERVER_NOT_FOUND',
          this.scrubber.scrub(`${req.method} ${req.path || '/'}: the server redirects (HTTP ${res.status}) to ${to}; ` +
            'redirects are not followed (credentials stay with the configured host): configure the final address'),
          { details: { host: this.host, status: res.status } },
        );
      }
      return { res, guard };
    } catch (err) {
      guard.done();
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && req.accept?.includes(status)) {
        const res = (err as { response: Response }).response;
        res.body?.resume?.();
        return { res, guard };
      }
      (err as { response?: { body?: { resume?: () => void } } }).response?.body?.resume?.();
      throw guard.explain(err);
    }
  }

  /** One attempt; the body is read as text (small responses only). */
  async send(req: DavRequest): Promise<{ status: number; text: string; headers: Response['headers'] }> {
    const { res, guard } = await this.open(req);
    try {
      const text = res.status >= 400 ? '' : await res.text();
      return { status: res.status, text, headers: res.headers };
    } catch (err) {
      throw guard.explain(err);
    } finally {
      guard.done();
    }
  }

  classify(err: unknown, signal?: AbortSignal): Classified {
    return classify(err, this.clock.now(), signal);
  }

  /** Runs an operation with the retry policy; the thrown error is a scrubbed RempartError. */
  call<T>(op: string, fn: (attempt: number) => Promise<T>, signal?: AbortSignal, policy?: Partial<RetryPolicy>): Promise<T> {
    const p = { ...this.retry, ...policy };
    return withRetry(fn, p, this.clock, {
      classify: (err) => this.classify(err, signal),
      fail: (c, attempts, err) =>
        err instanceof BlobStoreError ? err : toRempartError(c, op, this.scrubber, { attempts, host: this.host }),
      onRetry: (c, attempt, delay) =>
        this.opts.onRetry?.(this.scrubber.scrub(`${op}: ${c.code} ${c.detail}; attempt ${attempt} failed, retrying in ${delay} ms`)),
    }, signal);
  }

  /** A single error (no retry) turned into a scrubbed RempartError. */
  classifyToError(err: unknown, op: string, signal?: AbortSignal): Error {
    if (err instanceof BlobStoreError) return err;
    return toRempartError(this.classify(err, signal), op, this.scrubber, { host: this.host });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }
}

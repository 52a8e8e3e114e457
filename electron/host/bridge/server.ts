/**
 * The loopback bridge: serves the RempartApi contract over HTTP on 127.0.0.1 for browser mode and e2e (Kopia's design).
 *   POST /api/<method>   JSON payload -> validatePayload -> host.api[method] -> JSON Result
 *   GET  /api/events     Server-Sent Events: "event: <name>\ndata: <json>"
 *   GET  /*              the built renderer (dist/renderer), SPA fallback to index.html
 * Nothing answers without the per-launch token (Bearer header, ?token= or the HttpOnly cookie set when a page is
 * loaded with ?token=). Host must be our own loopback address (DNS rebinding), Origin when present our own origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_NAMES, type EventName, type RempartApi, type RempartEvents } from '../../contract/api.js';
import type { ErrorInfo, Result } from '../../contract/errors.js';
import { isApiMethod, validatePayload } from '../../contract/validate.js';
import { handleTestHook, type BridgeTestHooks } from './test-hooks.js';
import { loadStatic } from './static-files.js';
import {
  authenticate,
  fetchSiteAllowed,
  hostAllowed,
  newToken,
  originAllowed,
  SECURITY_HEADERS,
  tokenCookie,
} from './security.js';

/** The part of the orchestrator's Host the bridge needs (electron/host/host.ts implements it). */
export interface BridgeHost {
  api: RempartApi;
  on<E extends EventName>(event: E, fn: (payload: RempartEvents[E]) => void): () => void;
}

export interface BridgeOptions {
  host: BridgeHost;
  /** 0 (default) = any free port. */
  port?: number;
  /** Folder holding the built renderer (index.html). */
  staticDir: string;
  /** Only with --test-hooks; never in production. */
  testHooks?: BridgeTestHooks;
}

export interface Bridge {
  port: number;
  origin: string;
  token: string;
  /** The address to open: origin + "/?token=…". */
  url: string;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 20_000;

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = newToken();
  const sse = new Set<ServerResponse>();
  let port = 0;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const info: ErrorInfo = { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: info });
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // SSE streams stay open; restores may run long

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!hostAllowed(req.headers.host, port)) return sendText(res, 421, 'Misdirected request: wrong Host header.');
    if (!originAllowed(header(req, 'origin'), port) || !fetchSiteAllowed(header(req, 'sec-fetch-site'))) {
      return sendText(res, 403, 'Forbidden: cross-origin request.');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const how = authenticate(token, {
      authorization: header(req, 'authorization'),
      cookie: header(req, 'cookie'),
      query: url.searchParams.get('token'),
    });
    if (!how) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="rempart"');
      return sendText(res, 401, 'Rempart: open the address printed at start-up (it contains the access token).');
    }
    if (how === 'query') res.setHeader('Set-Cookie', tokenCookie(token));

    const path = url.pathname;
    if (path === '/api/events') {
      if (req.method !== 'GET') return sendText(res, 405, 'Method not allowed.');
      return openEventStream(req, res);
    }
    if (path.startsWith('/api/_test/')) {
      if (!opts.testHooks) return sendText(res, 404, 'Not found.');
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      if (body instanceof BodyError) return sendJson(res, body.status, invalid(body.message));
      const r = await handleTestHook(opts.testHooks, path.slice('/api/_test/'.length), body);
      return sendJson(res, r.ok ? 200 : 400, r);
    }
    if (path.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      const method = path.slice('/api/'.length);
      if (!isApiMethod(method)) return sendJson(res, 404, invalid(`unknown API method`));
      if (req.method !== 'POST') return sendJson(res, 405, invalid('use POST'));
      const body = await readJson(req);
      if (body instanceof BodyError) return sendJson(res, body.status, invalid(body.message));
      const checked = validatePayload(method, body);
      if (!checked.ok) return sendJson(res, 400, checked);
      return sendJson(res, 200, await callHost(opts.host.api, method, checked.value));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    const file = await loadStatic(opts.staticDir, path);
    if (!file) return sendText(res, 404, 'Not found.');
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, 'Cache-Control': file.cacheControl });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    sse.add(res);
    const offs = EVENT_NAMES.map((name) =>
      opts.host.on(name, (payload) => {
        res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    beat.unref();
    const done = () => {
      clearInterval(beat);
      for (const off of offs) off();
      sse.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    async close() {
      for (const res of sse) res.end();
      sse.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // idle keep-alive sockets would otherwise hold close() for seconds
      await closed;
    },
  };
}

async function callHost(api: RempartApi, method: keyof RempartApi, payload: unknown): Promise<Result<unknown>> {
  try {
    const fn = api[method] as (p: unknown) => Promise<Result<unknown>>;
    const r = await fn.call(api, payload);
    if (r && typeof r === 'object' && typeof r.ok === 'boolean') return r;
    return { ok: false, error: { code: 'UNKNOWN', message: `host returned a non-Result from ${method}` } };
  } catch (err) {
    // The host should return Results; a throw is a bug, reported without its stack.
    return { ok: false, error: { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) } };
  }
}

class BodyError {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const type = header(req, 'content-type') ?? '';
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES && !failed) {
        failed = true;
        resolve(new BodyError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
      } else if (!failed) chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      if (!/^application\/json(\s*;|$)/i.test(type)) return resolve(new BodyError(415, 'Content-Type must be application/json'));
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(new BodyError(400, 'body is not valid JSON'));
      }
    });
    req.on('error', () => resolve(new BodyError(400, 'request aborted')));
  });
}

function invalid(message: string): Result<never> {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

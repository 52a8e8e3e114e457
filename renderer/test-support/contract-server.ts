/**
 * A tiny loopback HTTP server that speaks the bridge contract (POST /api/<method> with a bearer token, GET /api/events as SSE),
 * answering from per-method handlers given by the test. It records every call so tests can check what the UI sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_METHODS, type ApiMethod, type EventName, type RempartEvents } from '../../electron/contract/api.js';
import type { Result } from '../../electron/contract/errors.js';

export type Handlers = Partial<Record<ApiMethod, (payload: any) => Result<unknown> | Promise<Result<unknown>>>>;

export interface ContractServer {
  baseUrl: string;
  token: string;
  calls: { method: ApiMethod; payload: unknown; authorization: string | undefined }[];
  handlers: Handlers;
  /** Pushes one event to every connected event stream. */
  push<E extends EventName>(event: E, payload: RempartEvents[E]): void;
  streams(): number;
  eventRequests: { url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startContractServer(handlers: Handlers, token = 'test-token-0123456789'): Promise<ContractServer> {
  const streams = new Set<ServerResponse>();
  const calls: ContractServer['calls'] = [];
  const eventRequests: ContractServer['eventRequests'] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/events' && req.method === 'GET') {
      eventRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (url.searchParams.get('token') !== token) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '') as ApiMethod;
    if (req.method !== 'POST' || !(API_METHODS as readonly string[]).includes(method)) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      return;
    }
    const payload = JSON.parse((await readBody(req)) || 'null');
    calls.push({ method, payload, authorization: req.headers.authorization });
    const handler = result.handlers[method];
    const answer: Result<unknown> = handler
      ? await handler(payload)
      : { ok: false, error: { code: 'UNKNOWN', message: `no handler for ${method} in this test` } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const result: ContractServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    calls,
    handlers,
    eventRequests,
    push: (event, payload) => {
      for (const s of streams) s.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    },
    streams: () => streams.size,
    close: async () => {
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return result;
}

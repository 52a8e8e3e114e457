/**
 * RempartClient over the loopback bridge (browser mode and e2e): POST /api/<method> with a JSON body and
 * `Authorization: Bearer <token>`; events from GET /api/events (SSE, one `event:` per RempartEvents name).
 * Never throws: transport failures become Result errors, like every other API answer.
 */
import { API_METHODS, EVENT_NAMES, type ApiMethod, type EventName, type RempartClient, type RempartEvents } from '../../electron/contract/api.js';
import { isErrorCode, type Result } from '../../electron/contract/errors.js';
import { openSse } from './sse.js';

export interface BridgeClientOptions {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash needed). */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Called when the event stream connects (true) or drops (false). */
  onConnection?: (connected: boolean) => void;
  retryMs?: number;
}

export interface BridgeClient extends RempartClient {
  close(): void;
}

type Listener = (payload: unknown) => void;

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; error?: { code?: unknown } };
  return v.ok === true ? 'value' in v : v.ok === false && isErrorCode(v.error?.code);
}

export function createBridgeClient(opts: BridgeClientOptions): BridgeClient {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const base = opts.baseUrl.replace(/\/+$/, '');
  const auth = { authorization: `Bearer ${opts.token}` };
  const listeners = new Map<EventName, Set<Listener>>();
  let closeStream: (() => void) | null = null;

  async function call(method: ApiMethod, payload: unknown): Promise<Result<unknown>> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(payload ?? null),
      });
    } catch (err) {
      return { ok: false, error: { code: 'UNKNOWN', message: `bridge unreachable: ${String(err)}`, retryable: true } };
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    if (isResult(body)) return body;
    const code = res.status === 401 || res.status === 403 ? 'INVALID_INPUT' : 'UNKNOWN';
    return { ok: false, error: { code, message: `bridge answered HTTP ${res.status} to ${method} without a result` } };
  }

  function ensureStream(): void {
    if (closeStream) return;
    closeStream = openSse({
      url: `${base}/api/events?token=${encodeURIComponent(opts.token)}`,
      headers: auth,
      fetch: doFetch,
      retryMs: opts.retryMs,
      onState: opts.onConnection,
      onMessage: (m) => {
        if (!(EVENT_NAMES as readonly string[]).includes(m.event)) return;
        let payload: unknown;
        try {
          payload = JSON.parse(m.data);
        } catch {
          return;
        }
        for (const fn of listeners.get(m.event as EventName) ?? []) fn(payload);
      },
    });
  }

  const client = {
    on<E extends EventName>(event: E, listener: (payload: RempartEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      ensureStream();
      return () => set.delete(listener as Listener);
    },
    close(): void {
      closeStream?.();
      closeStream = null;
      listeners.clear();
    },
  } as BridgeClient;
  for (const method of API_METHODS) {
    (client as unknown as Record<string, (p?: unknown) => Promise<Result<unknown>>>)[method] = (payload?: unknown) => call(method, payload);
  }
  return client;
}

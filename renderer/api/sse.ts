/**
 * Reads a Server-Sent Events stream with fetch (works in browsers and in Node for tests), reconnecting with backoff.
 * Chosen over EventSource so the token travels in the Authorization header as well as in the query string.
 */
export interface SseMessage {
  event: string;
  data: string;
}

/** Splits an SSE text buffer into complete messages; returns them and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const normalized = buffer.replace(/\r\n?/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) messages.push({ event, data: data.join('\n') });
  }
  return { messages, rest };
}

export interface SseOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  onMessage: (message: SseMessage) => void;
  onState?: (connected: boolean) => void;
  retryMs?: number;
}

/** Opens the stream and keeps it open until the returned function is called. */
export function openSse(opts: SseOptions): () => void {
  const controller = new AbortController();
  let stopped = false;
  const retryMs = opts.retryMs ?? 1000;

  async function connectOnce(): Promise<void> {
    const res = await opts.fetch(opts.url, { headers: { accept: 'text/event-stream', ...opts.headers }, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`event stream refused: HTTP ${res.status}`);
    opts.onState?.(true);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const parsed = parseSse(buffer);
      buffer = parsed.rest;
      for (const m of parsed.messages) opts.onMessage(m);
    }
  }

  void (async () => {
    let delay = retryMs;
    while (!stopped) {
      try {
        await connectOnce();
        delay = retryMs;
      } catch {
        if (stopped) return;
      }
      if (stopped) return;
      opts.onState?.(false);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  })();

  return () => {
    stopped = true;
    controller.abort();
  };
}

/**
 * Installs a happy-dom window as the global DOM for component tests (like @happy-dom/global-registrator),
 * and marks the environment for React's act(). Import it first in every *.test.tsx.
 */
import { Window } from 'happy-dom';

const win = new Window({ url: 'http://127.0.0.1/', width: 1024, height: 700 });
const g = globalThis as unknown as Record<string, unknown>;
const keep = new Set(['fetch', 'Request', 'Response', 'Headers', 'AbortController', 'AbortSignal', 'TextDecoder', 'TextEncoder', 'ReadableStream', 'URL', 'URLSearchParams', 'Blob', 'crypto', 'performance', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone', 'navigator']);
for (const key of Object.getOwnPropertyNames(win)) {
  if (keep.has(key) || key in g) continue;
  try {
    g[key] = (win as unknown as Record<string, unknown>)[key];
  } catch {
    // read-only global: leave Node's
  }
}
g.window = win;
g.document = win.document;
Object.defineProperty(globalThis, 'navigator', { value: win.navigator, configurable: true });
g.IS_REACT_ACT_ENVIRONMENT = true;

export const testWindow = win;

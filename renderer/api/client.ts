/**
 * Picks the one RempartClient for this page at boot: the preload's window.rempart in Electron, otherwise the loopback bridge.
 * Browser mode: the token arrives once in the address (?token=…), is kept in sessionStorage and removed from the address bar.
 */
import type { RempartClient } from '../../electron/contract/api.js';
import { createBridgeClient } from './bridge-client.js';

declare global {
  interface Window {
    rempart?: RempartClient;
  }
}

const TOKEN_KEY = 'rempart.token';

/** Reads ?token= from the address (then hides it) or the one kept for this tab. */
export function takeToken(win: Window): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return win.sessionStorage.getItem(TOKEN_KEY);
}

export type PickedClient =
  | { kind: 'electron' | 'bridge'; client: RempartClient }
  | { kind: 'no-token' };

export function pickClient(win: Window, onConnection?: (connected: boolean) => void): PickedClient {
  if (win.rempart) return { kind: 'electron', client: win.rempart };
  const token = takeToken(win);
  if (!token) return { kind: 'no-token' };
  return { kind: 'bridge', client: createBridgeClient({ baseUrl: win.location.origin, token, onConnection }) };
}

/** The one RempartClient the store's actions talk to, bound once at boot (or by a test). */
import type { RempartClient } from '../../electron/contract/api.js';

let current: RempartClient | null = null;

export function bindClient(client: RempartClient | null): void {
  current = client;
}

export function api(): RempartClient {
  if (!current) throw new Error('no RempartClient bound: call bindClient() at boot');
  return current;
}

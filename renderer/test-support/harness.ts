/** Per-test wiring: a contract server, a bridge client bound to the store, and a clean store and DOM afterwards. */
import { act, cleanup } from '@testing-library/react';
import { createBridgeClient, type BridgeClient } from '../api/bridge-client.js';
import { bindClient } from '../store/client-ref.js';
import { resetStore } from '../store/index.js';
import { syncStoreWith } from '../store/sync.js';
import { startContractServer, type ContractServer, type Handlers } from './contract-server.js';

export interface Harness {
  server: ContractServer;
  client: BridgeClient;
  stop(): Promise<void>;
}

export async function connect(handlers: Handlers, opts: { sync?: boolean } = {}): Promise<Harness> {
  const server = await startContractServer(handlers);
  const client = createBridgeClient({ baseUrl: server.baseUrl, token: server.token, retryMs: 50 });
  bindClient(client);
  const unsync = opts.sync ? syncStoreWith(client) : () => {};
  return {
    server,
    client,
    stop: async () => {
      unsync();
      client.close();
      bindClient(null);
      await server.close();
    },
  };
}

/** Unmounts React trees and resets every store slice (call in afterEach). */
export function resetAll(): void {
  cleanup();
  resetStore();
}

/** Waits (inside act, so React flushes the updates it causes) until `fn` holds. */
export async function until(fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  await act(async () => {
    while (!fn()) {
      if (Date.now() > end) throw new Error('timed out waiting for the UI');
      await new Promise((r) => setTimeout(r, 10));
    }
  });
}

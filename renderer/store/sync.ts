/** The one place where pushed events (IPC or SSE) enter the store. Returns the unsubscribe function. */
import type { RempartClient } from '../../electron/contract/api.js';
import { useStore } from './index.js';

export function syncStoreWith(client: RempartClient): () => void {
  const s = () => useStore.getState();
  const offs = [
    client.on('status', (status) => s().statusReceived(status)),
    client.on('progress', (event) => s().progressReceived(event)),
    client.on('restoreProgress', (event) => s().restoreProgressReceived(event)),
    client.on('alert', (alert) => s().alertReceived(alert)),
    client.on('navigate', ({ screen }) => {
      if (s().settings) s().navigated(screen);
    }),
  ];
  return () => offs.forEach((off) => off());
}

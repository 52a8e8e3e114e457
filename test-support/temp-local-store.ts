/**
 * A real LocalStore over a fresh temp folder, for tests of layers below targets (the repository layer may not import
 * targets itself; see .dependency-cruiser.cjs).
 */
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '../electron/engine/targets/local/local-store.js';

export interface TempLocalStore {
  store: LocalStore;
  dir: string;
  cleanup(): Promise<void>;
}

export async function tempLocalStore(prefix = 'rempart-test-'): Promise<TempLocalStore> {
  const dir = await fsp.mkdtemp(join(tmpdir(), prefix));
  const store = new LocalStore(dir);
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

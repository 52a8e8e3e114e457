import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBlobStoreSuite } from '../../repository/blob-store-suite.js';
import { LocalStore } from './local-store.js';

runBlobStoreSuite('local folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-local-'));
  return { store: new LocalStore(join(dir, 'repo')), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

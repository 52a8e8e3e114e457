import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSecretStore } from './ports.js';
import { suggestSources } from './setup.js';

test('the file secret store (non-Electron fallback) keeps secrets in a 0600 file and survives a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-secrets-'));
  try {
    const a = new FileSecretStore(dir);
    assert.equal(await a.get('webdav-password:cloud'), null);
    await Promise.all([a.set('webdav-password:cloud', 'p@ss'), a.set('writer:usb', '{"repoId":"r"}')]);
    if (process.platform !== 'win32') assert.equal((await stat(join(dir, 'secrets.json'))).mode & 0o777, 0o600);
    const b = new FileSecretStore(dir);
    assert.equal(await b.get('webdav-password:cloud'), 'p@ss');
    await b.delete('webdav-password:cloud');
    assert.equal(await new FileSecretStore(dir).get('webdav-password:cloud'), null);
    assert.equal(await new FileSecretStore(dir).get('writer:usb'), '{"repoId":"r"}');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('folder suggestions list only existing folders', async () => {
  const home = await mkdtemp(join(tmpdir(), 'rempart-home-'));
  try {
    await mkdir(join(home, 'Documents', 'EBP'), { recursive: true });
    await mkdir(join(home, 'Bureau'));
    const s = await suggestSources(home);
    assert.deepEqual(s.map((x) => [x.kind, x.name]), [['documents', 'Documents'], ['desktop', 'Bureau'], ['accounting', 'EBP']]);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

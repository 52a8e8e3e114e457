import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSecretStore } from '../host/ports.js';
import { SafeStorageSecretStore, UpgradingSecretStore, type Encryptor } from './secrets.js';

/** Stands for Electron's safeStorage (an OS surface): a reversible transform that changes every byte. */
const fakeSafeStorage = (available = true): Encryptor => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
});

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), 'rempart-secrets-'));
  dirs.push(d);
  return d;
}

test('secrets round-trip and never appear in plain text on disk', async () => {
  const dir = await tmp();
  const store = new SafeStorageSecretStore(dir, fakeSafeStorage());
  await store.set('webdav:password', 'tr0ub4dor&3');
  await store.set('writer:usb', 'AGE-SECRET-KEY-1XYZ');
  assert.equal(await store.get('webdav:password'), 'tr0ub4dor&3');
  const raw = await readFile(store.path, 'utf8');
  assert.ok(!raw.includes('tr0ub4dor') && !raw.includes('AGE-SECRET'));
  if (process.platform !== 'win32') assert.equal((await stat(store.path)).mode & 0o777, 0o600);
  const reopened = new SafeStorageSecretStore(dir, fakeSafeStorage());
  assert.equal(await reopened.get('writer:usb'), 'AGE-SECRET-KEY-1XYZ');
  await reopened.delete('writer:usb');
  assert.equal(await reopened.get('writer:usb'), null);
  assert.equal(await reopened.get('webdav:password'), 'tr0ub4dor&3');
});

test('refuses to store when the OS has no key store', async () => {
  const store = new SafeStorageSecretStore(await tmp(), fakeSafeStorage(false));
  assert.equal(store.available(), false);
  await assert.rejects(store.set('k', 'v'), /not available/);
  assert.equal(await store.get('k'), null);
});

test('concurrent writes are serialised', async () => {
  const store = new SafeStorageSecretStore(await tmp(), fakeSafeStorage());
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
  for (let i = 0; i < 20; i++) assert.equal(await store.get(`k${i}`), `v${i}`);
});

test('secrets left in the plain file (browser mode) move into the encrypted store on first use', async () => {
  const dir = await tmp();
  const plain = new FileSecretStore(dir);
  await plain.set('webdav:password', 'mot-de-passe-app');
  await plain.set('writer:usb', 'AGE-SECRET-KEY-1OLD');
  const safe = new SafeStorageSecretStore(dir, fakeSafeStorage());
  const store = new UpgradingSecretStore(safe, plain);
  assert.equal(await store.get('webdav:password'), 'mot-de-passe-app');
  assert.equal(await plain.get('webdav:password'), null, 'removed from the plain file');
  assert.equal(await safe.get('webdav:password'), 'mot-de-passe-app', 'now encrypted');
  await store.set('writer:usb', 'AGE-SECRET-KEY-1NEW');
  assert.equal(await plain.get('writer:usb'), null);
  assert.equal(await store.get('writer:usb'), 'AGE-SECRET-KEY-1NEW');
  assert.ok(!(await readFile(join(dir, 'secrets.json'), 'utf8')).includes('AGE-SECRET'));
  assert.equal(await store.get('missing'), null);
  await store.delete('webdav:password');
  assert.equal(await store.get('webdav:password'), null);
});

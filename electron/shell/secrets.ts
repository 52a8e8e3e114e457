/**
 * SecretStore on Electron's safeStorage (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux):
 * values are encrypted before they touch the disk, in their own file (secrets.enc.json), never in the settings.
 * Written against a minimal Encryptor interface (safeStorage is one) so it is unit-tested without Electron.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../host/ports.js';
import { writeFileAtomic } from '../host/fs-atomic.js';

export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class SafeStorageSecretStore implements SecretStore {
  readonly path: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly crypto: Encryptor,
  ) {
    this.path = join(dataDir, 'secrets.enc.json');
  }

  /** False where the OS offers no real key store (e.g. Linux without a keyring): the caller then picks a fallback. */
  available(): boolean {
    return this.crypto.isEncryptionAvailable();
  }

  private async load(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }

  private update(fn: (all: Record<string, string>) => void): Promise<void> {
    const next = this.chain.then(async () => {
      const all = await this.load();
      fn(all);
      await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async get(key: string): Promise<string | null> {
    await this.chain;
    const enc = (await this.load())[key];
    if (enc === undefined) return null;
    return this.crypto.decryptString(Buffer.from(enc, 'base64'));
  }

  set(key: string, value: string): Promise<void> {
    if (!this.available()) return Promise.reject(new Error('safeStorage encryption is not available on this system'));
    const enc = this.crypto.encryptString(value).toString('base64');
    return this.update((all) => {
      all[key] = enc;
    });
  }

  delete(key: string): Promise<void> {
    return this.update((all) => {
      delete all[key];
    });
  }
}

/**
 * The encrypted store, taking over secrets left in the plain 0600 file (secrets.json) by browser mode or by an earlier run
 * without a key store: a secret found only there is moved into the encrypted store on first read, and every write or
 * delete also clears it from the file. Nothing is lost; the plain copy disappears as soon as it has been used once.
 */
export class UpgradingSecretStore implements SecretStore {
  constructor(
    private readonly primary: SecretStore,
    private readonly legacy: SecretStore,
  ) {}

  async get(key: string): Promise<string | null> {
    const value = await this.primary.get(key);
    if (value !== null) return value;
    const old = await this.legacy.get(key);
    if (old === null) return null;
    await this.primary.set(key, old);
    await this.legacy.delete(key);
    return old;
  }

  async set(key: string, value: string): Promise<void> {
    await this.primary.set(key, value);
    await this.legacy.delete(key);
  }

  async delete(key: string): Promise<void> {
    await this.primary.delete(key);
    await this.legacy.delete(key);
  }
}

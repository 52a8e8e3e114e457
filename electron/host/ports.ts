/**
 * The OS surfaces the host needs but must not implement with Electron: the shell (electron/shell/) provides
 * Electron-backed versions (Notification, safeStorage, powerMonitor, shell.openPath); tests use ./ports-fake.ts.
 * The defaults below are plain-Node fallbacks so the host also runs headless (browser mode, CLI, tests).
 */
import { readFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { writeFileAtomic } from './fs-atomic.js';

export interface NotificationRequest {
  title: string;
  body: string;
  targetId: string | null;
  reason: string;
}

export interface Notifier {
  notify(n: NotificationRequest): void;
}

/** Small secrets (writer credentials, WebDAV / SMTP passwords). Keys are short ASCII names ("writer:usb"). */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A mounted volume as the OS sees it; the host adds the Rempart marker information. */
export interface MountedDrive {
  mountPath: string;
  label: string | null;
  freeBytes: number | null;
  totalBytes: number | null;
}

export interface DriveLister {
  list(): Promise<MountedDrive[]>;
  /** Optional push notification of mount changes (the host polls on its clock anyway). Returns an unsubscribe function. */
  watch?(onChange: () => void): () => void;
}

export interface PowerEvents {
  /** Called after the computer wakes up. Returns an unsubscribe function. */
  onResume(fn: () => void): () => void;
}

export interface PathOpener {
  open(path: string): Promise<void>;
}

export interface HostPorts {
  notifier: Notifier;
  secrets: SecretStore;
  drives: DriveLister;
  power: PowerEvents;
  opener: PathOpener;
}

/**
 * NON-ELECTRON FALLBACK: secrets in a JSON file readable only by the user (mode 0600) in dataDir.
 * It protects against other users, not against malware running as the same user. The Electron shell
 * replaces it with a safeStorage-encrypted store (DPAPI / Keychain / libsecret).
 */
export class FileSecretStore implements SecretStore {
  private readonly path: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.json');
  }

  private async load(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
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
      await chmod(this.path, 0o600).catch(() => undefined);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async get(key: string): Promise<string | null> {
    await this.chain;
    return (await this.load())[key] ?? null;
  }
  set(key: string, value: string): Promise<void> {
    return this.update((all) => {
      all[key] = value;
    });
  }
  delete(key: string): Promise<void> {
    return this.update((all) => {
      delete all[key];
    });
  }
}

export const consoleNotifier: Notifier = {
  notify(n) {
    process.stderr.write(`[rempart] ${n.title}: ${n.body}\n`);
  },
};

export const noPowerEvents: PowerEvents = { onResume: () => () => undefined };

/** Opens a folder with the desktop's default file manager (xdg-open / open / explorer). */
export const systemPathOpener: PathOpener = {
  async open(path: string) {
    const cmd = process.platform === 'win32' ? 'explorer' : process.platform === 'darwin' ? 'open' : 'xdg-open';
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd, [path], { stdio: 'ignore', detached: true });
      child.on('error', reject);
      child.on('spawn', () => {
        child.unref();
        resolve();
      });
    });
  },
};

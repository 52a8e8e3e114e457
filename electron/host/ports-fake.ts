/** Test fakes for the OS surfaces (allowed: these stand for Electron, not for a peer). */
import type { DriveLister, MountedDrive, NotificationRequest, Notifier, PathOpener, PowerEvents, SecretStore } from './ports.js';

export class RecordingNotifier implements Notifier {
  readonly sent: NotificationRequest[] = [];
  notify(n: NotificationRequest): void {
    this.sent.push(n);
  }
}

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

export class FakePowerEvents implements PowerEvents {
  private fns = new Set<() => void>();
  onResume(fn: () => void) {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  resume(): void {
    for (const fn of this.fns) fn();
  }
}

export class RecordingPathOpener implements PathOpener {
  readonly opened: string[] = [];
  async open(path: string) {
    this.opened.push(path);
  }
}

/** A drive lister whose drives the test sets by hand. */
export class FakeDriveLister implements DriveLister {
  drives: MountedDrive[] = [];
  async list() {
    return this.drives.slice();
  }
}

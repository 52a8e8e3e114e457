/**
 * First-run setup and the settings screens' helpers: drive list, WebDAV test, folder suggestions, completeSetup.
 * completeSetup creates both repositories with SHARED keys (the second one reuses the first one's identity and writer key)
 * so one read of the folders feeds both, enrols the USB drive (marker file), stores the write-only credentials and the
 * WebDAV password in the SecretStore, saves the settings, returns the recovery key once and starts the first backup.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SettingsDto, SetupDto, SetupResultDto, SourceSuggestionDto, WebdavTestDto, WebdavTestResultDto } from '../contract/api.js';
import type { Clock } from '../engine/base/clock.js';
import { HostError } from './errors.js';
import { davUrl, initRepository, isRepository, openStore, usbRepoPath, writeDriveMarker, type EngineTuning, type Store } from './engine-port.js';
import { defaultCloudTarget, defaultSettings, defaultUsbTarget } from './config/defaults.js';
import type { SecretStore } from './ports.js';
import { secretKeys } from './runner/target-open.js';

export const MIN_PASSPHRASE = 10;

export async function testWebdav(req: WebdavTestDto): Promise<WebdavTestResultDto> {
  const store = await openStore(davUrl(req.url, req.username), { password: req.password, allowInsecureHttp: req.allowInsecureHttp });
  try {
    const space = await store.space();
    return { reachable: true, freeBytes: space.free, hasRepository: await isRepository(store) };
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

export async function suggestSources(home = homedir()): Promise<SourceSuggestionDto[]> {
  const candidates: SourceSuggestionDto[] = [
    { kind: 'documents', name: 'Documents', path: join(home, 'Documents') },
    { kind: 'desktop', name: 'Bureau', path: join(home, 'Bureau') },
    { kind: 'desktop', name: 'Desktop', path: join(home, 'Desktop') },
    { kind: 'pictures', name: 'Images', path: join(home, 'Images') },
    { kind: 'pictures', name: 'Pictures', path: join(home, 'Pictures') },
    { kind: 'accounting', name: 'EBP', path: join(home, 'Documents', 'EBP') },
    { kind: 'accounting', name: 'Ciel', path: join(home, 'Documents', 'Ciel') },
    { kind: 'accounting', name: 'Compta', path: join(home, 'Compta') },
  ];
  if (process.platform === 'win32') {
    candidates.push({ kind: 'accounting', name: 'EBP', path: 'C:\\ProgramData\\EBP' }, { kind: 'accounting', name: 'Ciel', path: 'C:\\Ciel' });
  }
  const out: SourceSuggestionDto[] = [];
  for (const c of candidates) if (await isDir(c.path)) out.push(c);
  return out;
}

export interface SetupDeps {
  clock: Clock;
  secrets: SecretStore;
  current: SettingsDto | null;
  tuning: EngineTuning;
}

export async function completeSetup(req: SetupDto, deps: SetupDeps): Promise<{ result: SetupResultDto; settings: SettingsDto }> {
  if (deps.current?.usb || deps.current?.cloud) throw new HostError('INVALID_INPUT', 'Rempart is already set up', { field: 'payload' });
  if (!req.usb && !req.cloud) throw new HostError('INVALID_INPUT', 'choose a USB drive, a WebDAV server, or both', { field: 'payload.usb' });
  if (req.passphrase.length < MIN_PASSPHRASE) {
    throw new HostError('INVALID_INPUT', `passphrase: must be at least ${MIN_PASSPHRASE} characters`, { field: 'payload.passphrase' });
  }
  for (const src of req.sources) {
    if (!(await isDir(src))) throw new HostError('SOURCE_MISSING', `folder to protect not found: ${src}`, { path: src });
  }
  if (req.usb && !(await isDir(req.usb.mountPath))) {
    throw new HostError('DRIVE_NOT_PLUGGED', `drive not found at ${req.usb.mountPath}`, { label: req.usb.label });
  }
  // Reach the server before writing anything anywhere.
  let cloudStore: Store | null = null;
  let usbStore: Store | null = null;
  try {
    if (req.cloud) {
      cloudStore = await openStore(davUrl(req.cloud.url, req.cloud.username), { password: req.cloud.password, allowInsecureHttp: req.cloud.allowInsecureHttp });
      if (await isRepository(cloudStore)) throw new HostError('REPOSITORY_EXISTS', `a Rempart repository already exists at ${cloudStore.location}`);
    }
    let driveId: string | null = null;
    if (req.usb) {
      const marker = await writeDriveMarker(req.usb.mountPath, { label: req.usb.label, targetId: 'usb' });
      driveId = marker.driveId;
      usbStore = await openStore(usbRepoPath(req.usb.mountPath), { volumeRoot: req.usb.mountPath, expectedDriveId: driveId });
      if (await isRepository(usbStore)) throw new HostError('REPOSITORY_EXISTS', `a Rempart repository already exists at ${usbStore.location}`);
    }
    const base = { passphrase: req.passphrase, clock: deps.clock, ...(deps.tuning.scryptWorkFactor ? { scryptWorkFactor: deps.tuning.scryptWorkFactor } : {}) };
    const firstStore = (usbStore ?? cloudStore)!;
    const first = await initRepository({ ...base, store: firstStore });
    const repoIds = [first.repoId];
    let cloud = first;
    if (usbStore && cloudStore) {
      try {
        cloud = await initRepository({ ...base, store: cloudStore, shareKeysWith: { recoveryKey: first.recoveryKey, writer: first.credentials } });
      } catch (err) {
        // Leave nothing half-done: the repository created seconds ago on the drive is removed, so setup can simply be retried.
        await removeNewRepository(firstStore);
        throw err;
      }
      repoIds.push(cloud.repoId);
    }
    if (usbStore) await deps.secrets.set(secretKeys.writer('usb'), JSON.stringify(first.credentials));
    if (cloudStore) {
      await deps.secrets.set(secretKeys.writer('cloud'), JSON.stringify(cloud.credentials));
      await deps.secrets.set(secretKeys.webdavPassword('cloud'), req.cloud!.password);
    }
    const settings: SettingsDto = { ...defaultSettings(req.language), sources: req.sources, excludes: req.excludes };
    if (req.usb && driveId) settings.usb = defaultUsbTarget(driveId, req.usb.label);
    if (req.cloud) {
      const u = new URL(req.cloud.url);
      settings.cloud = defaultCloudTarget(req.cloud.url, req.cloud.username || decodeURIComponent(u.username), req.cloud.allowInsecureHttp);
    }
    return { result: { recoveryKey: first.recoveryKey, repoIds }, settings };
  } finally {
    await cloudStore?.close().catch(() => undefined);
    await usbStore?.close().catch(() => undefined);
  }
}

/** Deletes every file of a repository this setup has just created (never called on an existing one). */
async function removeNewRepository(store: Store): Promise<void> {
  try {
    for (const file of await store.list('')) await store.remove(file.path);
  } catch {
    /* best effort: the error that stopped the setup is the one reported */
  }
}

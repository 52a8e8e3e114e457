/**
 * Opens the repository of a configured target for a backup, with the write-only credentials from the SecretStore:
 * the USB copy on the enrolled drive (wherever it is mounted, guarded by its drive id), the cloud copy on its WebDAV server.
 */
import { join } from 'node:path';
import type { CloudTargetDto, RetentionDto, SettingsDto, TargetKind, UsbTargetDto } from '../../contract/api.js';
import type { Clock } from '../../engine/base/clock.js';
import { KEEP_EVERY_POINT_HOURS } from '../config/defaults.js';
import { HostError } from '../errors.js';
import { davUrl, openRepository, openStore, usbRepoPath, type Repository, type RepoSecret, type Store, type WriterCredentials } from '../engine-port.js';
import type { SecretStore } from '../ports.js';
import type { DriveWatch } from './drive-watch.js';

export const secretKeys = {
  writer: (targetId: string) => `writer:${targetId}`,
  webdavPassword: (targetId: string) => `webdav-password:${targetId}`,
  smtpPassword: 'smtp-password',
};

export type TargetConfig = (UsbTargetDto & { kind: 'usb' }) | (CloudTargetDto & { kind: 'cloud' });

export function targetOf(settings: SettingsDto | null, kind: TargetKind): TargetConfig | null {
  if (kind === 'usb') return settings?.usb ? { ...settings.usb, kind } : null;
  return settings?.cloud ? { ...settings.cloud, kind } : null;
}

export function targetLabel(t: TargetConfig): string {
  if (t.kind === 'usb') return t.label;
  try {
    return new URL(t.url).host;
  } catch {
    return t.url;
  }
}

/** A copy's retention: every point of the last 48 hours (KEEP_EVERY_POINT_HOURS), then the user's per-day… rules. */
export function retentionPolicy(r: RetentionDto) {
  return { keepWithinHours: KEEP_EVERY_POINT_HOURS, keepDaily: r.keepDaily, keepWeekly: r.keepWeekly, keepMonthly: r.keepMonthly, keepYearly: r.keepYearly };
}

export interface OpenedTarget {
  store: Store;
  repo: Repository;
  mountPath: string | null;
}

export interface OpenDeps {
  secrets: SecretStore;
  drives: DriveWatch;
  clock: Clock;
  dataDir: string;
}

/** Opens the store of a target (no repository). */
export async function openTargetStore(t: TargetConfig, deps: OpenDeps, signal?: AbortSignal): Promise<{ store: Store; mountPath: string | null }> {
  if (t.kind === 'usb') {
    await deps.drives.poll();
    const drive = deps.drives.get(t.driveId);
    if (!drive) throw new HostError('DRIVE_NOT_PLUGGED', `drive "${t.label}" (${t.driveId}) is not connected`, { label: t.label });
    const store = await openStore(usbRepoPath(drive.mountPath), { volumeRoot: drive.mountPath, expectedDriveId: t.driveId, signal });
    return { store, mountPath: drive.mountPath };
  }
  const password = (await deps.secrets.get(secretKeys.webdavPassword(t.id))) ?? undefined;
  const store = await openStore(davUrl(t.url, t.username), {
    password,
    bandwidthLimitKBps: t.bandwidthLimitKBps,
    allowInsecureHttp: t.allowInsecureHttp,
    signal,
  });
  return { store, mountPath: null };
}

export async function openTarget(t: TargetConfig, deps: OpenDeps, secret?: RepoSecret, signal?: AbortSignal): Promise<OpenedTarget> {
  let repoSecret = secret;
  if (!repoSecret) {
    const raw = await deps.secrets.get(secretKeys.writer(t.id));
    if (!raw) throw new HostError('NOT_CONFIGURED', `no credentials stored for target ${t.id}`);
    repoSecret = { writer: JSON.parse(raw) as WriterCredentials };
  }
  const { store, mountPath } = await openTargetStore(t, deps, signal);
  try {
    const repo = await openRepository(store, repoSecret, { clock: deps.clock, cacheDir: join(deps.dataDir, 'cache', t.id) });
    return { store, repo, mountPath };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

export async function closeTarget(o: OpenedTarget | null | undefined): Promise<void> {
  if (!o) return;
  await o.repo.close().catch(() => undefined);
  await o.store.close().catch(() => undefined);
}

import { resolve } from 'node:path';
import { RempartError } from './base/errors.js';
import type { BlobStore } from './repository/blob-store.js';
import { LocalStore } from './targets/local/local-store.js';
import { WebdavStore } from './targets/webdav/index.js';

/**
 * Store factory of the facade: a folder path → LocalStore (a folder or a USB drive), an http(s) URL → WebDAV store.
 */
export interface StoreOptions {
  /** WebDAV password (or app password); the URL may carry the user name. */
  password?: string;
  bandwidthLimitKBps?: number;
  /** Allow http:// to a non-loopback host (refused otherwise with INSECURE_URL). */
  allowInsecureHttp?: boolean;
  /** Root of the removable volume holding the folder: enables unplug detection. */
  volumeRoot?: string;
  /** Enrolled drive id: every write checks the drive is still that one. */
  expectedDriveId?: string;
  signal?: AbortSignal;
}

export function isRemoteLocation(location: string): boolean {
  return /^https?:\/\//i.test(location.trim());
}

export async function openStore(location: string, opts: StoreOptions = {}): Promise<BlobStore> {
  const loc = location.trim();
  if (loc.length === 0) throw new RempartError('INVALID_INPUT', 'empty repository location');
  if (isRemoteLocation(loc)) return openWebdav(loc, opts);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc)) {
    throw new RempartError('INVALID_INPUT', `unsupported repository address ${loc} (use a folder path or an https:// WebDAV URL)`);
  }
  return new LocalStore(resolve(loc), { volumeRoot: opts.volumeRoot, expectedDriveId: opts.expectedDriveId });
}

async function openWebdav(url: string, opts: StoreOptions): Promise<BlobStore> {
  if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'cancelled');
  return new WebdavStore({
    url,
    password: opts.password,
    bandwidthLimitKBps: opts.bandwidthLimitKBps,
    allowInsecureHttp: opts.allowInsecureHttp,
  });
}

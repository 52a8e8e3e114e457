/**
 * « Tester la connexion » for the setup wizard: can we reach and log in to the server, how much space is left, and
 * does the folder already hold a Rempart repository (config.json present)? Failures come back as an ErrorInfo with
 * the code the UI turns into one sentence (AUTH_FAILED, SERVER_NOT_FOUND, TLS_ERROR, INSECURE_URL…).
 */
import type { ErrorInfo } from '../../../contract/errors.js';
import { RempartError, toErrorInfo } from '../../base/errors.js';
import { DavSession } from './dav-session.js';
import { propfindOnce, quotaOnce } from './propfind.js';
import type { WebdavStoreOptions } from './webdav-store.js';

export interface ConnectionReport {
  reachable: boolean;
  /** Free bytes from the server's quota properties, or null when it does not say. */
  freeBytes: number | null;
  /** config.json exists in the folder. */
  hasRepository: boolean;
  /** Whether the folder itself exists yet (init creates it when its parent exists). */
  folderExists: boolean;
  error?: ErrorInfo;
}

export async function testConnection(opts: WebdavStoreOptions & { signal?: AbortSignal }): Promise<ConnectionReport> {
  let session: DavSession | null = null;
  let extra: DavSession | null = null;
  try {
    session = new DavSession({ ...opts, retry: { maxAttempts: 2, ...opts.retry } });
    const s = session;
    const signal = opts.signal;
    const self = await s.call('connect', () => propfindOnce(s, '', 0, { collection: true, signal }), signal);
    const folderExists = self !== null && self.length > 0;
    if (!folderExists) {
      const parentUrl = new URL('..', s.parsed.base).toString();
      const parent = new DavSession({ ...opts, url: parentUrl, retry: { maxAttempts: 2, ...opts.retry } });
      extra = parent;
      const p = await parent.call('connect', () => propfindOnce(parent, '', 0, { collection: true, signal }), signal);
      if (!p) throw new RempartError('SERVER_NOT_FOUND', `neither ${s.location} nor its parent folder exist on the server`);
    }
    const config = folderExists
      ? await s.call('stat config.json', () => propfindOnce(s, 'config.json', 0, { signal }), signal)
      : null;
    let freeBytes: number | null = null;
    try {
      freeBytes = (await s.call('read quota', () => quotaOnce(s, signal), signal)).free; // from the parent if needed
    } catch {
      freeBytes = null; // quota is a nicety; its absence or refusal is not a failed connection
    }
    return { reachable: true, freeBytes, hasRepository: config !== null && config.length > 0, folderExists };
  } catch (err) {
    const info = toErrorInfo(err instanceof RempartError ? err : session?.classifyToError(err, 'connect') ?? err);
    const reachable = !['NETWORK_UNREACHABLE', 'NETWORK_STALLED', 'TLS_ERROR', 'INSECURE_URL', 'INVALID_CONFIG'].includes(info.code);
    return { reachable, freeBytes: null, hasRepository: false, folderExists: false, error: info };
  } finally {
    await session?.close();
    await extra?.close();
  }
}

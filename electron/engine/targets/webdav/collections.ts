/**
 * Makes sure collections (folders) exist before a PUT, remembering the ones known to exist.
 * MKCOL quirks: 201 created; 405 already exists (Apache, sabre); rclone answers 201 even when it exists; some
 * servers answer 403 or 409 for an existing folder, so those are double-checked with a PROPFIND. A 409 on a folder
 * whose parent is missing walks up; a missing parent of the base URL is SERVER_NOT_FOUND.
 */
import { RempartError } from '../../base/errors.js';
import type { DavSession } from './dav-session.js';
import { propfindOnce } from './propfind.js';

export class CollectionCache {
  private readonly known = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly session: DavSession) {}

  /**
   * Called after a 404: a missing file is normal, and so is a missing repository folder whose parent exists (init will
   * create it), but a missing parent means a wrong address: SERVER_NOT_FOUND. A found base is remembered.
   */
  async assertBaseReachable(signal?: AbortSignal): Promise<void> {
    if (this.known.has('')) return;
    const s = this.session;
    const self = await s.call('check the address', () => propfindOnce(s, '', 0, { collection: true, signal }), signal);
    if (self !== null) {
      this.known.add('');
      return;
    }
    const parentUrl = new URL('..', s.parsed.base).toString();
    const r = await s.call('check the address', () =>
      s.send({ method: 'PROPFIND', path: '', url: parentUrl, headers: { Depth: '0' }, signal, accept: [404] }), signal);
    if (r.status === 404) {
      throw new RempartError('SERVER_NOT_FOUND', `neither ${s.location} nor its parent folder exist on the server`, {
        details: { host: s.host },
      });
    }
  }

  /** Forget everything (after a server-side delete of folders, for instance). */
  reset(): void {
    this.known.clear();
  }

  async ensure(dir: string, signal?: AbortSignal): Promise<void> {
    const segs = dir.split('/').filter(Boolean);
    for (let i = 0; i <= segs.length; i++) await this.ensureOne(segs.slice(0, i).join('/'), signal);
  }

  private ensureOne(dir: string, signal?: AbortSignal): Promise<void> {
    if (this.known.has(dir)) return Promise.resolve();
    let p = this.pending.get(dir);
    if (!p) {
      p = this.session
        .call(`create folder /${dir}`, () => this.mkcol(dir, signal), signal)
        .then(() => {
          this.known.add(dir);
        })
        .finally(() => this.pending.delete(dir));
      this.pending.set(dir, p);
    }
    return p;
  }

  private async mkcol(dir: string, signal?: AbortSignal): Promise<void> {
    const r = await this.session.send({ method: 'MKCOL', path: dir, collection: true, signal, accept: [403, 405, 409] });
    if (r.status < 300) return;
    const entries = await propfindOnce(this.session, dir, 0, { collection: true, signal });
    if (entries?.some((e) => e.path === dir && e.collection)) return;
    if (entries && entries.length > 0) {
      throw new RempartError('SERVER_UNSUPPORTED', `/${dir} exists on the server but is not a folder`);
    }
    if (r.status === 409) {
      throw new RempartError('SERVER_NOT_FOUND', dir === ''
        ? `the parent folder of ${this.session.location} does not exist on the server`
        : `cannot create /${dir}: its parent folder is missing`);
    }
    if (r.status === 403) throw new RempartError('AUTH_FAILED', `creating /${dir} is forbidden (HTTP 403)`);
    throw new RempartError('SERVER_UNSUPPORTED', `cannot create /${dir} (HTTP ${r.status})`);
  }
}

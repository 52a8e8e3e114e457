/**
 * The restore wizard's sessions: a source (the USB copy, the cloud copy, or — on a new computer — a folder / drive or a
 * WebDAV server with only the passphrase or recovery key), its restore points (with which configured copies hold each),
 * the files of a point, and the restore itself with progress events.
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type {
  RestoreFileDto, RestoreFromDto, RestorePointDto, RestoreRequestDto, RestoreResultDto, RempartEvents, SecretDto, TargetKind,
} from '../contract/api.js';
import { HostError } from './errors.js';
import { davUrl, isRepository, openRepository, openStore, type Repository, type RepoSecret, type SnapshotInfo, type Store } from './engine-port.js';
import type { RunContext } from './runner/run-context.js';
import { closeTarget, openTarget, openTargetStore, targetOf } from './runner/target-open.js';

interface Session {
  id: string;
  from: RestoreFromDto;
  store: Store;
  repo: Repository;
  createdAt: number;
}

const MAX_SESSIONS = 8;
const SAME_RUN_WINDOW_MS = 10 * 60_000;

export class RestoreSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ctx: RunContext,
    private readonly emit: (p: RempartEvents['restoreProgress']) => void,
  ) {}

  private deps() {
    return { secrets: this.ctx.secrets, drives: this.ctx.drives, clock: this.ctx.clock, dataDir: this.ctx.dataDir };
  }

  private cacheDir(id: string) {
    return join(this.ctx.dataDir, 'cache', `restore-${id}`);
  }

  async open(from: RestoreFromDto, secret?: SecretDto): Promise<string> {
    let store: Store;
    if (from.kind === 'usb' || from.kind === 'cloud') {
      const t = targetOf(this.ctx.settings(), from.kind);
      if (!t) throw new HostError('NOT_CONFIGURED', `no ${from.kind} copy is configured`);
      store = (await openTargetStore(t, this.deps())).store;
    } else if (from.kind === 'folder') {
      store = await openStore(from.path);
      if (!(await isRepository(store))) {
        await store.close();
        store = await openStore(join(from.path, 'Rempart')); // the drive itself was chosen
      }
    } else {
      store = await openStore(davUrl(from.url, from.username), { password: from.password, allowInsecureHttp: from.allowInsecureHttp });
    }
    try {
      if (!(await isRepository(store))) throw new HostError('NOT_A_REPOSITORY', `no Rempart repository at ${store.location}`);
      const repo = await this.openRepo(from, store, secret);
      const id = randomUUID();
      this.sessions.set(id, { id, from, store, repo, createdAt: this.ctx.clock.now() });
      await this.trim();
      return id;
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
  }

  private async openRepo(from: RestoreFromDto, store: Store, secret?: SecretDto): Promise<Repository> {
    if (secret) return openRepository(store, secret as RepoSecret, { clock: this.ctx.clock, cacheDir: this.cacheDir(randomUUID()) });
    if (from.kind === 'usb' || from.kind === 'cloud') {
      const raw = await this.ctx.secrets.get(`writer:${from.kind}`);
      if (raw) return openRepository(store, { writer: JSON.parse(raw) }, { clock: this.ctx.clock, cacheDir: join(this.ctx.dataDir, 'cache', from.kind) });
    }
    throw new HostError('SECRET_REQUIRED', 'type the passphrase or the recovery key to open this backup');
  }

  private get(sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s) throw new HostError('INVALID_INPUT', 'unknown or expired restore session', { field: 'payload.sessionId' });
    return s;
  }

  /** Upgrades a write-only session to a readable one with the typed secret. */
  private async readable(s: Session, secret?: SecretDto): Promise<Repository> {
    if (s.repo.canRead) return s.repo;
    if (!secret) throw new HostError('SECRET_REQUIRED', 'type the passphrase or the recovery key to restore');
    const repo = await openRepository(s.store, secret as RepoSecret, { clock: this.ctx.clock, cacheDir: this.cacheDir(s.id) });
    await s.repo.close().catch(() => undefined);
    s.repo = repo;
    return repo;
  }

  async points(sessionId: string): Promise<RestorePointDto[]> {
    const s = this.get(sessionId);
    const snaps = await s.repo.listSnapshots();
    const others = new Map<TargetKind, SnapshotInfo[]>();
    for (const kind of ['usb', 'cloud'] as TargetKind[]) {
      if (s.from.kind === kind) {
        others.set(kind, snaps);
        continue;
      }
      const t = targetOf(this.ctx.settings(), kind);
      if (!t) continue;
      const opened = await openTarget(t, this.deps()).catch(() => null);
      if (!opened) continue;
      others.set(kind, await opened.repo.listSnapshots().catch(() => []));
      await closeTarget(opened);
    }
    // One run commits a snapshot in each copy a few moments apart: same content, times within the window.
    const same = (a: SnapshotInfo, b: SnapshotInfo) =>
      Math.abs(Date.parse(a.time) - Date.parse(b.time)) <= SAME_RUN_WINDOW_MS &&
      a.summary.files === b.summary.files &&
      a.summary.totalBytes === b.summary.totalBytes &&
      a.sources.join('\n') === b.sources.join('\n');
    return snaps
      .slice()
      .sort((a, b) => b.time.localeCompare(a.time))
      .map((sn) => ({
        snapshotId: sn.id,
        time: sn.time,
        host: sn.host,
        files: sn.summary.files,
        totalBytes: sn.summary.totalBytes,
        copies: [...others.entries()].filter(([, list]) => list.some((o) => same(o, sn))).map(([k]) => k),
      }));
  }

  async files(sessionId: string, snapshotId: string, secret?: SecretDto): Promise<RestoreFileDto[]> {
    const s = this.get(sessionId);
    const repo = secret ? await this.readable(s, secret) : s.repo;
    return (await repo.listFiles(snapshotId)).map((f) => ({ path: f.path, type: f.type, size: f.size, mtime: f.mtime }));
  }

  async restore(req: RestoreRequestDto): Promise<RestoreResultDto> {
    const s = this.get(req.sessionId);
    const repo = await this.readable(s, req.secret);
    const target = req.target.kind === 'original' ? 'original' : req.target.path;
    const summary = await repo.restore({
      snapshotId: req.snapshotId,
      target,
      include: req.include,
      onProgress: (p) => this.emit({ sessionId: s.id, ...p }),
    });
    const sources = this.ctx.settings()?.sources ?? [];
    const targetFolder = target !== 'original' ? target : sources.length === 1 ? sources[0] : sources.length ? dirname(sources[0]) : '';
    return { ...summary, targetFolder };
  }

  private async trim(): Promise<void> {
    const all = [...this.sessions.values()].sort((a, b) => a.createdAt - b.createdAt);
    while (all.length > MAX_SESSIONS) await this.close(all.shift()!.id);
  }

  async close(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    await s.repo.close().catch(() => undefined);
    await s.store.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.sessions.keys()]) await this.close(id);
  }
}

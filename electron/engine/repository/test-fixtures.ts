/**
 * Test-only helpers for the repository layer's tests: a real repository in a temp folder (LocalStore), random
 * content, and a minimal backup of buffers (the real backup job lives in engine/jobs).
 */
import { createHash, randomBytes } from 'node:crypto';
import { brotliCompressSync, constants as zc } from 'node:zlib';
import { tempLocalStore, type TempLocalStore } from '../../../test-support/temp-local-store.js';
import type { SnapshotSummary } from '../api.js';
import type { Clock } from '../base/clock.js';
import { createRepository, openRepo, type Repo } from './repository.js';
import type { ManifestEntry, OpenRepoOptions, RepoSnapshotInfo } from './types.js';

export const PASSPHRASE = 'correct horse battery staple';
export const FAST_SCRYPT = 10;

export interface TestRepo extends TempLocalStore {
  recoveryKey: string;
  repo: Repo;
}

export async function newTestRepo(opts: { clock?: Clock; open?: OpenRepoOptions; packSize?: number } = {}): Promise<TestRepo> {
  const tmp = await tempLocalStore('rempart-repo-');
  const init = await createRepository(tmp.store, { passphrase: PASSPHRASE, scryptWorkFactor: FAST_SCRYPT, clock: opts.clock, packSize: opts.packSize });
  const repo = await openRepo(tmp.store, { passphrase: PASSPHRASE }, { clock: opts.clock, scryptWorkFactor: FAST_SCRYPT, ...opts.open });
  return {
    ...tmp,
    recoveryKey: init.recoveryKey,
    repo,
    async cleanup() {
      await repo.close().catch(() => undefined);
      await tmp.cleanup();
    },
  };
}

export function summary(files: number): SnapshotSummary {
  return { files, dirs: 0, totalBytes: 0, bytesRead: 0, bytesStored: 0, newBlobs: 0, skipped: 0, durationMs: 0 };
}

/** Stores each file as fixed 256 KiB chunks (text-like data brotli-compressed), returns manifest entries. */
export async function putFiles(repo: Repo, files: Record<string, Buffer>, chunk = 256 * 1024): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (const [path, data] of Object.entries(files)) {
    const blobs: string[] = [];
    for (let off = 0; off < data.length || (off === 0 && data.length === 0); off += chunk) {
      const piece = data.subarray(off, off + chunk);
      const id = repo.blobId(piece);
      const br = brotliCompressSync(piece, { params: { [zc.BROTLI_PARAM_QUALITY]: 4 } });
      await repo.addBlob(id, br.length < piece.length ? { codec: 'brotli', data: br, rawLength: piece.length } : { codec: 'raw', data: piece, rawLength: piece.length });
      blobs.push(id);
      if (data.length === 0) break;
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    entries.push({ path, type: 'file', size: data.length, mtime: '2026-11-24T10:00:00.000Z', mode: 0o644, sha256, blobs });
  }
  return entries;
}

/** Backs up buffers as one snapshot. */
export async function backupFiles(repo: Repo, files: Record<string, Buffer>, time?: string): Promise<RepoSnapshotInfo> {
  const entries = await putFiles(repo, files);
  return repo.saveSnapshot({
    time,
    host: 'test-host',
    sources: [{ label: 'src', path: '/tmp/src' }],
    tags: [],
    summary: summary(entries.length),
    entries,
  });
}

/** Reassembles a file from its blobs. */
export async function readFile(repo: Repo, entry: ManifestEntry): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const id of entry.blobs ?? []) parts.push(await repo.readBlob(id));
  return Buffer.concat(parts);
}

export function randomData(bytes: number): Buffer {
  return randomBytes(bytes);
}

/** Compressible text-like data. */
export function textData(bytes: number, seed = 'facture'): Buffer {
  const line = Buffer.from(`${seed} n° 0001;Boulangerie Dupré;12,50 €;TVA 5,5 %\n`);
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += line.length) line.copy(out, i);
  return out;
}

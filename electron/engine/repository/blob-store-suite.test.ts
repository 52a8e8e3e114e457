/**
 * Tests of the conformance suite itself: a correct in-memory reference store passes it, and each typical backend bug
 * (ignoring overwrite:false, partial files on a short source, off-by-one ranges, list of a missing dir throwing,
 * ignoring the abort signal) makes the matching suite test fail. The broken runs happen in child processes
 * (this same file, with REMPART_SUITE_BUG set), so their failures do not fail this run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { RempartError } from '../base/errors.js';
import { BlobStoreError, type BlobStore, type ReadOptions, type StoredFile, type WriteOptions } from './blob-store.js';
import { runBlobStoreSuite } from './blob-store-suite.js';

type Bug = 'overwrite' | 'partial' | 'range' | 'list-missing' | 'abort' | 'none';

/** A reference BlobStore in memory; `bug` injects one classic backend mistake. */
class MemoryStore implements BlobStore {
  readonly location = 'memory:';
  private readonly files = new Map<string, Buffer>();
  constructor(private readonly bug: Bug) {}

  async write(path: string, data: Buffer | Readable | (() => Readable), size: number, opts: WriteOptions = {}): Promise<void> {
    const abortable = this.bug !== 'abort';
    if (abortable && opts.signal?.aborted) throw new RempartError('CANCELLED', 'aborted');
    if (!opts.overwrite && this.bug !== 'overwrite' && this.files.has(path)) throw new BlobStoreError('exists', path);
    const src = typeof data === 'function' ? data() : data;
    const parts: Buffer[] = [];
    let n = 0;
    const add = (c: Buffer) => {
      if (abortable && opts.signal?.aborted) throw new RempartError('CANCELLED', 'aborted');
      parts.push(c);
      n += c.length;
      if (this.bug === 'partial') this.files.set(path, Buffer.concat(parts));
      opts.onProgress?.(n);
    };
    if (Buffer.isBuffer(src)) add(src);
    else for await (const c of src) add(c as Buffer);
    const buf = Buffer.concat(parts);
    if (buf.length !== size && this.bug !== 'partial') throw new RempartError('DATA_CORRUPT', 'size mismatch');
    if (opts.sha256 && createHash('sha256').update(buf).digest('hex') !== opts.sha256) throw new RempartError('DATA_CORRUPT', 'sha256');
    if (!opts.overwrite && this.files.has(path) && this.bug !== 'overwrite' && this.bug !== 'partial') throw new BlobStoreError('exists', path);
    this.files.set(path, buf);
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Buffer> {
    if (opts.signal?.aborted) throw new RempartError('CANCELLED', 'aborted');
    const f = this.files.get(path);
    if (!f) throw new BlobStoreError('not-found', path);
    const end = opts.end === undefined ? f.length : opts.end + (this.bug === 'range' ? 0 : 1);
    return Buffer.from(f.subarray(opts.start ?? 0, end));
  }

  async openRead(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const { Readable: R } = await import('node:stream');
    return R.from([await this.read(path, opts)]);
  }

  async stat(path: string): Promise<StoredFile | null> {
    const f = this.files.get(path);
    return f ? { path, size: f.length } : null;
  }

  async list(dir: string): Promise<StoredFile[]> {
    const prefix = dir ? `${dir}/` : '';
    const out = [...this.files].filter(([p]) => p.startsWith(prefix)).map(([path, b]) => ({ path, size: b.length }));
    if (out.length === 0 && this.bug === 'list-missing') throw new BlobStoreError('not-found', dir);
    return out;
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }

  async space() {
    return { free: null, total: null };
  }

  async close(): Promise<void> {}
}

const bugEnv = process.env.REMPART_SUITE_BUG as Bug | undefined;
runBlobStoreSuite(
  `memory store${bugEnv ? ` with bug ${bugEnv}` : ''}`,
  async () => ({ store: new MemoryStore(bugEnv ?? 'none'), cleanup: async () => {} }),
  { quirks: { bigFileBytes: 1024 * 1024 } },
);

const expectedFailure: Record<Exclude<Bug, 'none'>, RegExp> = {
  overwrite: /overwrite:false refuses/,
  partial: /size mismatch/,
  range: /byte ranges/,
  'list-missing': /list is recursive/,
  abort: /abort signal is honoured/,
};

if (!bugEnv) {
  const self = fileURLToPath(import.meta.url);
  for (const [bug, pattern] of Object.entries(expectedFailure)) {
    test(`the suite catches a store with bug "${bug}"`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, REMPART_SUITE_BUG: bug };
      delete env.NODE_TEST_CONTEXT;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', self], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const failed = r.stdout.split('\n').filter((l) => /^\s+not ok \d+ - /.test(l)).map((l) => l.replace(/^\s+not ok \d+ - /, ''));
      assert.notEqual(r.status, 0, 'the broken store must fail the suite');
      assert.ok(failed.some((name) => pattern.test(name)), `expected a failure matching ${pattern}, got: ${failed.join(' | ')}`);
    });
  }
}

/**
 * Whole-engine runs on WebDAV through the facade: init → backup → restore (byte-identical) → check --read-data on
 * Apache, sabre and rclone; and a backup whose network dies three runs in a row, completing on the fourth with no
 * pack uploaded twice (counted in Apache's access log) and progress on every failed run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { backup, initRepository, openRepository, type Repository } from '../../index.js';
import { testBytes } from '../../repository/blob-store-suite.js';
import { readTree } from '../../../../test-support/file-tree.js';
import { createFlakyProxy } from '../../../../test-support/flaky-proxy.js';
import { hasTool } from '../../../../test-support/tools.js';
import {
  startWebdavServer,
  WEBDAV_SERVER_KINDS,
  WEBDAV_SERVER_TOOLS,
  type WebdavServer,
} from '../../../../test-support/webdav-servers.js';
import { WebdavStore } from './webdav-store.js';

const PASS = 'correct horse battery';
const execFileP = promisify(execFile);
const CHILD = fileURLToPath(new URL('./backup-child.test-helper.ts', import.meta.url));
const fast = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 300 };

/** Relative path → sha256 of each file (the comparison needs no file bodies). */
async function hashTree(root: string): Promise<Map<string, string>> {
  const tree = await readTree(root);
  return new Map([...tree].map(([path, data]) => [path, createHash('sha256').update(data).digest('hex')]));
}

async function makeSource(root: string, bigFiles: number, bigBytes: number): Promise<string> {
  const src = join(root, 'Boutique');
  await mkdir(join(src, 'Compta', 'Année 2025'), { recursive: true });
  await writeFile(join(src, 'Compta', 'Année 2025', 'ventes été.csv'), 'date;montant\n2025-07-01;12,50\n'.repeat(500));
  await writeFile(join(src, 'notes.txt'), 'Fermeture le lundi.\n');
  await writeFile(join(src, 'vide.bin'), Buffer.alloc(0));
  for (let i = 0; i < bigFiles; i++) await writeFile(join(src, `photo-${i}.raw`), testBytes(bigBytes, 100 + i));
  return src;
}

async function runBackup(repo: Repository, src: string) {
  const [outcome] = await backup({ repositories: [repo], sources: [src] });
  assert.ok(outcome);
  return outcome;
}

for (const kind of WEBDAV_SERVER_KINDS) {
  const skip = !process.env.CI && !WEBDAV_SERVER_TOOLS[kind].every(hasTool) && `missing ${WEBDAV_SERVER_TOOLS[kind].join(', ')}`;
  describe(`backup → restore through WebDAV (${kind})`, { skip, timeout: 180_000 }, () => {
    let server: WebdavServer;
    let dir: string;
    before(async () => {
      server = await startWebdavServer(kind);
      dir = await mkdtemp(join(tmpdir(), `rempart-rt-${kind}-`));
    });
    after(async () => {
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    test('init, backup, restore byte-identical, check --read-data', async () => {
      const src = await makeSource(dir, 3, 1024 * 1024 + 7);
      const store = new WebdavStore({ url: `${server.url}Rempart/`, username: server.username, password: server.password });
      try {
        await initRepository({ store, passphrase: PASS, packSize: 4 * 1024 * 1024, scryptWorkFactor: 10 });
        const repo = await openRepository(store, { passphrase: PASS }, { cacheDir: join(dir, 'cache') });
        try {
          const outcome = await runBackup(repo, src);
          assert.ok(outcome.ok, JSON.stringify(outcome));
          const target = join(dir, 'restored');
          const summary = await repo.restore({ snapshotId: 'latest', target });
          assert.deepEqual(summary.errors, []);
          assert.deepEqual(await hashTree(join(target, 'Boutique')), await hashTree(src));
          const report = await repo.check({ readData: true });
          assert.ok(report.ok, JSON.stringify(report.problems));
          assert.ok(report.packsChecked >= 1);
        } finally {
          await repo.close();
        }
      } finally {
        await store.close();
      }
    });
  });
}

const noApache = !process.env.CI && !WEBDAV_SERVER_TOOLS.apache.every(hasTool) && 'apache2 missing';
describe('a backup interrupted three times in a row', { skip: noApache, timeout: 300_000 }, () => {
  let apache: WebdavServer;
  let dir: string;
  before(async () => {
    apache = await startWebdavServer('apache');
    dir = await mkdtemp(join(tmpdir(), 'rempart-int-'));
  });
  after(async () => {
    await apache?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('completes on the fourth run, with progress on every run and no pack sent twice', async () => {
    const proxy = await createFlakyProxy({ port: apache.port });
    const url = `${proxy.origin}/dav/Rempart/`;
    const src = await makeSource(dir, 12, 1536 * 1024);
    const runChild = async (): Promise<{ ok: boolean; error?: { code: string; message: string } }> => {
      const job = { url, username: 'test', password: 'test', passphrase: PASS, source: src, cacheDir: join(dir, 'cache') };
      const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], { timeout: 120_000 });
      return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    };
    const packsInPlace = async () => {
      const s = new WebdavStore({ url: `${apache.url}Rempart/`, username: 'test', password: 'test' });
      try {
        return (await s.list('data')).filter((f) => f.path.endsWith('.pack')).length;
      } finally {
        await s.close();
      }
    };
    try {
      const initStore = new WebdavStore({ url, username: 'test', password: 'test', retry: fast });
      await initRepository({ store: initStore, passphrase: PASS, packSize: 4 * 1024 * 1024, scryptWorkFactor: 10 });
      await initStore.close();

      let before = 0;
      for (let run = 1; run <= 3; run++) {
        proxy.configure({ upBudget: 7 * 1024 * 1024 }); // the line dies after ~7 MB of this run (packs are 4-6 MB)
        const outcome = await runChild();
        proxy.configure({});
        assert.equal(outcome.ok, false, `run ${run} was interrupted`);
        assert.equal(outcome.error?.code, 'NETWORK_UNREACHABLE', JSON.stringify(outcome));
        assert.ok(!JSON.stringify(outcome).includes('test:test'));
        const now = await packsInPlace();
        assert.ok(now > before, `run ${run} made progress (${before} → ${now} packs)`);
        before = now;
      }
      const last = await runChild();
      assert.equal(last.ok, true, JSON.stringify(last));
      const store = new WebdavStore({ url, username: 'test', password: 'test' });
      const repo = await openRepository(store, { passphrase: PASS }, { cacheDir: join(dir, 'cache2') });
      try {
        const target = join(dir, 'restored');
        await repo.restore({ snapshotId: 'latest', target });
        assert.deepEqual(await hashTree(join(target, 'Boutique')), await hashTree(src));
      } finally {
        await repo.close();
        await store.close();
      }
      // Every pack in place was uploaded (a complete PUT) exactly once over all four runs.
      await new Promise((r) => setTimeout(r, 300));
      const completedPuts = new Map<string, number>();
      for (const r of apache.requestLog()) {
        const m = /\/\.tmp\/([0-9a-f]{64}\.pack)\.[0-9a-f]+\.part$/.exec(r.path);
        if (r.method === 'PUT' && m && r.status >= 200 && r.status < 300) completedPuts.set(m[1]!, (completedPuts.get(m[1]!) ?? 0) + 1);
      }
      const final = await packsInPlace();
      assert.ok(final >= 4, `${final} packs`);
      assert.equal(completedPuts.size, final, 'one completed upload per pack in place');
      for (const [name, count] of completedPuts) assert.equal(count, 1, `${name} uploaded ${count} times`);
    } finally {
      await proxy.close();
    }
  });
});

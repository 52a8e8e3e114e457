/**
 * The shared BlobStore conformance suite against three real WebDAV servers on loopback (Apache mod_dav, SabreDAV on
 * php -S, rclone serve webdav), plus WebDAV-specific checks: leftovers, quota, password change, redirect refusal.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { runBlobStoreSuite, testBytes } from '../../repository/blob-store-suite.js';
import { hasTool } from '../../../../test-support/tools.js';
import {
  startWebdavServer,
  WEBDAV_SERVER_KINDS,
  WEBDAV_SERVER_TOOLS,
  type WebdavServer,
} from '../../../../test-support/webdav-servers.js';
import { WebdavStore } from './webdav-store.js';
import { testConnection } from './test-connection.js';
import { isRempartError } from '../../base/errors.js';
import { isNotFound } from '../../repository/blob-store.js';

const available = (kind: (typeof WEBDAV_SERVER_KINDS)[number]) =>
  WEBDAV_SERVER_TOOLS[kind].every(hasTool) || process.env.CI ? false : `missing ${WEBDAV_SERVER_TOOLS[kind].join(', ')}`;

for (const kind of WEBDAV_SERVER_KINDS) {
  const skip = available(kind);
  if (skip) {
    test(`BlobStore conformance on ${kind}`, (t) => t.skip(skip));
    continue;
  }
  runBlobStoreSuite(`WebDAV ${kind}`, async () => {
    const server = await startWebdavServer(kind);
    const store = new WebdavStore({
      url: `${server.url}repo/`,
      username: server.username,
      password: server.password,
      idleTimeoutMs: 10_000,
    });
    return { store, cleanup: () => server.stop() };
  });
}

describe('WebDAV specifics', { skip: available('apache') || available('sabre') || false, timeout: 60_000 }, () => {
  let apache: WebdavServer;
  let sabre: WebdavServer;
  before(async () => {
    [apache, sabre] = await Promise.all([startWebdavServer('apache'), startWebdavServer('sabre')]);
  });
  after(async () => {
    await Promise.all([apache?.stop(), sabre?.stop()]);
  });

  test('writes leave no temporary file behind, folders are created, the repo folder is made on first write', async () => {
    const store = new WebdavStore({ url: `${apache.url}shop/Rempart/`, username: 'test', password: 'test' });
    try {
      // The parent "shop/" does not exist yet: SERVER_NOT_FOUND, nothing created.
      await assert.rejects(store.write('config.json', Buffer.from('{}'), 2), (e) => isRempartError(e, 'SERVER_NOT_FOUND'));
    } finally {
      await store.close();
    }
    const store2 = new WebdavStore({ url: `${apache.url}Rempart/`, username: 'test', password: 'test' });
    try {
      const data = testBytes(70_000, 3);
      await store2.write('data/ab/abcdef0123456789abcdef0123456789.pack', data, data.length);
      assert.ok(existsSync(join(apache.dataDir, 'Rempart/data/ab/abcdef0123456789abcdef0123456789.pack')));
      assert.deepEqual(readdirSync(join(apache.dataDir, 'Rempart/.tmp')), []);
      assert.deepEqual(await store2.list(''), [{ path: 'data/ab/abcdef0123456789abcdef0123456789.pack', size: 70_000 }]);
    } finally {
      await store2.close();
    }
  });

  test('the bandwidth cap is honoured within 10% (measured 3 MB upload over loopback)', async (t) => {
    const capKBps = 1024;
    const store = new WebdavStore({ url: `${apache.url}bw/`, username: 'test', password: 'test', bandwidthLimitKBps: capKBps });
    try {
      await store.write('warm.bin', Buffer.from('x'), 1); // folders and connection ready
      const size = 3 * 1024 * 1024;
      const data = testBytes(size, 40);
      const t0 = performance.now();
      await store.write('capped.bin', data, size);
      const seconds = (performance.now() - t0) / 1000;
      const kbps = size / 1024 / seconds;
      t.diagnostic(`measured ${kbps.toFixed(0)} KB/s with a cap of ${capKBps} KB/s`);
      assert.ok(Math.abs(kbps - capKBps) <= capKBps * 0.1, `measured ${kbps.toFixed(0)} KB/s for a cap of ${capKBps} KB/s`);
      // The cap is for the shop's line: two uploads at once share it.
      const t1 = performance.now();
      await Promise.all([store.write('par1.bin', data.subarray(0, size / 2), size / 2), store.write('par2.bin', data.subarray(size / 2), size / 2)]);
      const both = size / 1024 / ((performance.now() - t1) / 1000);
      t.diagnostic(`two parallel uploads: ${both.toFixed(0)} KB/s in total`);
      assert.ok(Math.abs(both - capKBps) <= capKBps * 0.1, `two parallel uploads: ${both.toFixed(0)} KB/s in total`);
    } finally {
      await store.close();
    }
  });

  test('a wrong address is SERVER_NOT_FOUND; a repository folder not created yet is just empty', async () => {
    const wrong = new WebdavStore({ url: `${apache.url}no/such/parent/Rempart/`, username: 'test', password: 'test' });
    const fresh = new WebdavStore({ url: `${apache.url}NotYetCreated/`, username: 'test', password: 'test' });
    try {
      await assert.rejects(wrong.stat('config.json'), (e) => isRempartError(e, 'SERVER_NOT_FOUND'));
      await assert.rejects(wrong.read('config.json'), (e) => isRempartError(e, 'SERVER_NOT_FOUND'));
      await assert.rejects(wrong.list('snapshots'), (e) => isRempartError(e, 'SERVER_NOT_FOUND'));
      assert.equal(await fresh.stat('config.json'), null);
      assert.deepEqual(await fresh.list('snapshots'), []);
      await assert.rejects(fresh.read('config.json'), isNotFound);
    } finally {
      await wrong.close();
      await fresh.close();
    }
  });

  test('a repository folder with spaces and accents in its URL', async () => {
    for (const server of [apache, sabre]) {
      const store = new WebdavStore({ url: `${server.url}Sauvegarde Boutique été/`, username: 'test', password: 'test' });
      try {
        await store.write('data/ab/fichier.pack', Buffer.from('contenu'), 7);
        assert.deepEqual(await store.list(''), [{ path: 'data/ab/fichier.pack', size: 7 }]);
        assert.deepEqual(await store.stat('data/ab/fichier.pack'), { path: 'data/ab/fichier.pack', size: 7 });
        assert.ok(existsSync(join(server.dataDir, 'Sauvegarde Boutique été/data/ab/fichier.pack')), server.kind);
      } finally {
        await store.close();
      }
    }
  });

  test('space(): sabre reports quota, Apache does not', async () => {
    const s1 = new WebdavStore({ url: sabre.url, username: 'test', password: 'test' });
    const s2 = new WebdavStore({ url: apache.url, username: 'test', password: 'test' });
    try {
      const q = await s1.space();
      assert.ok(q.free !== null && q.free > 0 && q.total !== null && q.total >= q.free, JSON.stringify(q));
      assert.deepEqual(await s2.space(), { free: null, total: null });
      const notYet = new WebdavStore({ url: `${sabre.url}not-created-yet/`, username: 'test', password: 'test' });
      const q2 = await notYet.space(); // read from the parent folder
      await notYet.close();
      assert.ok(q2.free !== null && q2.free > 0, JSON.stringify(q2));
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  test('testConnection: ok, repository detection, wrong password, missing parent', async () => {
    const ok = await testConnection({ url: `${sabre.url}conn/`, username: 'test', password: 'test' });
    assert.equal(ok.reachable, true);
    assert.equal(ok.hasRepository, false);
    assert.equal(ok.folderExists, false);
    assert.ok(ok.freeBytes !== null && ok.freeBytes > 0);
    const store = new WebdavStore({ url: `${sabre.url}conn/`, username: 'test', password: 'test' });
    await store.write('config.json', Buffer.from('{"v":1}'), 7);
    await store.close();
    const again = await testConnection({ url: `${sabre.url}conn/`, username: 'test', password: 'test' });
    assert.equal(again.hasRepository, true);
    const bad = await testConnection({ url: `${apache.url}conn/`, username: 'test', password: 'nope-s3cret' });
    assert.equal(bad.error?.code, 'AUTH_FAILED');
    assert.ok(!JSON.stringify(bad).includes('nope-s3cret'));
    const missing = await testConnection({ url: `${apache.url}no/such/place/`, username: 'test', password: 'test' });
    assert.equal(missing.error?.code, 'SERVER_NOT_FOUND');
  });

  test('a password changed on the server gives AUTH_FAILED on the next request', async () => {
    const store = new WebdavStore({ url: `${apache.url}pw/`, username: 'test', password: 'test' });
    try {
      await store.write('a.bin', Buffer.from('x'), 1);
      await apache.changePassword('changed');
      await assert.rejects(store.read('a.bin'), (e) => isRempartError(e, 'AUTH_FAILED'));
    } finally {
      await apache.changePassword('test');
      await store.close();
    }
  });

  test('redirects are not followed: credentials never reach the other host', async () => {
    let seenAuth: string | undefined = 'none';
    const other: Server = createServer((req, res) => {
      seenAuth = req.headers.authorization;
      res.writeHead(207).end();
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const otherPort = (other.address() as { port: number }).port;
    const redirector: Server = createServer((req, res) => {
      res.writeHead(302, { Location: `http://localhost:${otherPort}${req.url}` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    const port = (redirector.address() as { port: number }).port;
    const store = new WebdavStore({ url: `http://127.0.0.1:${port}/dav/`, username: 'u', password: 'pw-redirect' });
    try {
      const err = await store.stat('x.bin').then(() => null, (e: unknown) => e);
      assert.ok(isRempartError(err, 'SERVER_NOT_FOUND'), String(err));
      assert.match((err as Error).message, /redirect/);
      assert.equal(seenAuth, 'none', 'the other host was never contacted');
    } finally {
      await store.close();
      other.close();
      redirector.close();
    }
  });
});

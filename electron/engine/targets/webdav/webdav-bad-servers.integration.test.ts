/**
 * Answers a real server rarely gives on demand, from tiny misbehaving servers (fault-servers.test-helper.ts):
 * 507, 503, a server that truncates or flips bytes, a self-signed certificate; and a public http:// URL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasTool } from '../../../../test-support/tools.js';
import { testBytes } from '../../repository/blob-store-suite.js';
import { isRempartError } from '../../base/errors.js';
import { WebdavStore } from './webdav-store.js';
import { startMisbehavingServer, startSelfSignedServer } from './fault-servers.test-helper.js';

const fast = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 500 };

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: Error & { code?: string }) => e,
  );
}

describe('answers a real server rarely gives', { timeout: 60_000 }, () => {
  test('507 on PUT gives QUOTA_EXCEEDED at once (one PUT, no retry)', async () => {
    const srv = await startMisbehavingServer({ put: 507 });
    const s = new WebdavStore({ url: `${srv.origin}/repo/`, username: 'u', password: 'p-507', retry: fast });
    try {
      const err = await rejection(s.write('d/f.bin', testBytes(100_000), 100_000));
      assert.ok(isRempartError(err, 'QUOTA_EXCEEDED'), String(err));
      assert.equal(srv.count('PUT'), 1);
    } finally {
      await s.close();
      await srv.close();
    }
  });

  test('503 with Retry-After is retried, then SERVER_ERROR', async () => {
    const srv = await startMisbehavingServer({ put: 503, retryAfter: '0' });
    const s = new WebdavStore({ url: `${srv.origin}/repo/`, username: 'u', password: 'p', retry: fast });
    try {
      const err = await rejection(s.write('d/f.bin', Buffer.from('abc'), 3));
      assert.ok(isRempartError(err, 'SERVER_ERROR'), String(err));
      assert.equal(srv.count('PUT'), fast.maxAttempts);
    } finally {
      await s.close();
      await srv.close();
    }
  });

  test('a server that stores fewer bytes than sent: verification fails, the file is never moved into place', async () => {
    const srv = await startMisbehavingServer({ truncateBy: 1 });
    const s = new WebdavStore({ url: `${srv.origin}/repo/`, username: 'u', password: 'p', retry: fast });
    try {
      const err = await rejection(s.write('d/f.bin', testBytes(10_000), 10_000));
      assert.ok(isRempartError(err, 'SERVER_ERROR'), String(err));
      assert.match(err.message, /stored 9999 bytes, 10000 were sent/);
      assert.equal(srv.count('MOVE'), 0);
      assert.ok(srv.count('DELETE') >= 1, 'the bad temporary file was deleted');
    } finally {
      await s.close();
      await srv.close();
    }
  });

  test('a server whose content MD5 differs from what was sent (same size): never moved into place', async () => {
    const srv = await startMisbehavingServer({ corruptFromPut: 2 });
    const s = new WebdavStore({ url: `${srv.origin}/repo/`, username: 'u', password: 'p', retry: fast });
    try {
      await s.write('d/good.bin', testBytes(5000, 1), 5000); // learns that this server's ETags are content MD5s
      const err = await rejection(s.write('d/bad.bin', testBytes(5000, 2), 5000));
      assert.ok(isRempartError(err, 'SERVER_ERROR'), String(err));
      assert.match(err.message, /MD5 .* differs/);
      assert.equal(srv.count('MOVE'), 1, 'only the good file was moved into place');
      assert.equal(await s.stat('d/bad.bin'), null);
    } finally {
      await s.close();
      await srv.close();
    }
  });

  test('a self-signed certificate gives TLS_ERROR at once and is never bypassed', { skip: !hasTool('openssl') && !process.env.CI && 'openssl missing' }, async () => {
    const srv = await startSelfSignedServer();
    const s = new WebdavStore({ url: `https://localhost:${srv.port}/dav/`, username: 'u', password: 'p-tls', retry: fast });
    try {
      const err = await rejection(s.stat('x.bin'));
      assert.ok(isRempartError(err, 'TLS_ERROR'), String(err));
      assert.equal(srv.requests(), 0, 'no request was ever answered over the untrusted connection');
      assert.ok(!err.message.includes('p-tls'));
    } finally {
      await s.close();
      await srv.close();
    }
  });

  test('http to a non-loopback address is INSECURE_URL before any network access', () => {
    for (const url of ['http://203.0.113.7/dav/', 'http://cloud.example.com/remote.php/dav/files/a/']) {
      assert.throws(() => new WebdavStore({ url, username: 'u', password: 'p' }), (e) => isRempartError(e, 'INSECURE_URL'));
    }
    assert.throws(
      () => new WebdavStore({ url: 'http://203.0.113.7/dav/', allowInsecureHttp: true }),
      (e) => isRempartError(e, 'INSECURE_URL'),
    );
    const nas = new WebdavStore({ url: 'http://192.168.1.20:5005/backup/', allowInsecureHttp: true });
    assert.equal(nas.location, 'http://192.168.1.20:5005/backup/');
    void nas.close();
  });
});

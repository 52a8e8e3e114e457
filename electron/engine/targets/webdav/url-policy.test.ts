import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRempartError } from '../../base/errors.js';
import {
  checkRepoPath,
  isLoopbackAddress,
  isPrivateAddress,
  parseWebdavUrl,
  privateOnlyLookup,
  redactUrlCredentials,
  resolvePath,
} from './url-policy.js';

test('loopback and private address classification', () => {
  for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1', 'foo.localhost']) assert.ok(isLoopbackAddress(h), h);
  for (const h of ['128.0.0.1', '10.0.0.1', 'example.com', '::2']) assert.ok(!isLoopbackAddress(h), h);
  for (const h of ['10.1.2.3', '172.16.0.1', '172.31.255.1', '192.168.1.20', '169.254.3.4', '100.64.0.1', 'fd12:3456::1', 'fe80::1', '[fd00::5]']) {
    assert.ok(isPrivateAddress(h), h);
  }
  for (const h of ['172.32.0.1', '8.8.8.8', '193.168.1.1', '2001:db8::1', 'nas.local']) assert.ok(!isPrivateAddress(h), h);
});

test('https is accepted; credentials move out of the URL; the path gets a trailing slash', () => {
  const p = parseWebdavUrl('https://anne:p%40ss@cloud.example.com/remote.php/dav/files/anne/Rempart?x=1#frag');
  assert.equal(p.location, 'https://cloud.example.com/remote.php/dav/files/anne/Rempart/');
  assert.equal(p.username, 'anne');
  assert.equal(p.password, 'p@ss');
  assert.equal(p.insecureHttp, false);
});

test('plain http: loopback always, private only with the opt-in, public never', () => {
  assert.equal(parseWebdavUrl('http://127.0.0.1:8080/dav').insecureHttp, true);
  assert.equal(parseWebdavUrl('http://[::1]:8080/dav/').location, 'http://[::1]:8080/dav/');
  assert.throws(() => parseWebdavUrl('http://192.168.1.20/dav/'), (e) => isRempartError(e, 'INSECURE_URL'));
  assert.equal(parseWebdavUrl('http://192.168.1.20/dav/', { allowInsecureHttp: true }).insecureHttp, true);
  assert.throws(() => parseWebdavUrl('http://8.8.8.8/dav/', { allowInsecureHttp: true }), (e) => isRempartError(e, 'INSECURE_URL'));
  const named = parseWebdavUrl('http://nas.local:5005/dav/', { allowInsecureHttp: true });
  assert.equal(named.needsPrivateResolution, true);
  assert.throws(() => parseWebdavUrl('ftp://host/x'), (e) => isRempartError(e, 'INVALID_CONFIG'));
  assert.throws(() => parseWebdavUrl('not a url'), (e) => isRempartError(e, 'INVALID_CONFIG'));
});

test('an INSECURE_URL error never shows the password', () => {
  try {
    parseWebdavUrl('http://bob:hunter2@203.0.113.9/dav/');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(isRempartError(e, 'INSECURE_URL'));
    assert.ok(!(e as Error).message.includes('hunter2'));
  }
});

test('redactUrlCredentials and resolvePath', () => {
  assert.equal(redactUrlCredentials('GET https://a:b@h/x failed; see http://u@h2/'), 'GET https://h/x failed; see http://h2/');
  const base = new URL('https://h/dav/Rempart/');
  assert.equal(resolvePath(base, 'odd/with space#1%.bin'), 'https://h/dav/Rempart/odd/with%20space%231%25.bin');
  assert.equal(resolvePath(base, '', { collection: true }), 'https://h/dav/Rempart/');
  assert.equal(resolvePath(base, 'data/ab', { collection: true }), 'https://h/dav/Rempart/data/ab/');
});

test('checkRepoPath refuses escapes and oddities', () => {
  checkRepoPath('data/ab/abc.pack');
  checkRepoPath('odd/.dotfile');
  for (const p of ['', '/abs', 'a/../b', 'a//b', './a', 'a\\b', 'a/\u0001']) {
    assert.throws(() => checkRepoPath(p), (e) => isRempartError(e, 'INVALID_INPUT'), JSON.stringify(p));
  }
});

test('privateOnlyLookup (the http agent of an opted-in NAS) refuses public addresses at connect time', async () => {
  const look = (host: string) =>
    new Promise<{ err: (Error & { code?: string }) | null; addr?: unknown }>((resolve) =>
      (privateOnlyLookup as unknown as (h: string, o: object, cb: (e: Error | null, a?: unknown) => void) => void)(
        host, {}, (err, addr) => resolve({ err: err as (Error & { code?: string }) | null, addr })));
  assert.equal((await look('192.168.1.20')).addr, '192.168.1.20');
  assert.equal((await look('8.8.8.8')).err?.code, 'ERR_REMPART_INSECURE');
});

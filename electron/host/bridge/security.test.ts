import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate, fetchSiteAllowed, hostAllowed, newToken, originAllowed, parseCookie, tokenMatches, TOKEN_COOKIE } from './security.js';
import { resolveStaticPath } from './static-files.js';

test('tokens are 32 random bytes, fresh each time', () => {
  const a = newToken();
  assert.equal(Buffer.from(a, 'base64url').length, 32);
  assert.notEqual(a, newToken());
});

test('token comparison', () => {
  const t = newToken();
  assert.ok(tokenMatches(t, t));
  assert.equal(tokenMatches(t, t.slice(0, -1)), false);
  assert.equal(tokenMatches(t, t + 'x'), false);
  assert.equal(tokenMatches(t, ''), false);
  assert.equal(tokenMatches(t, null), false);
  assert.equal(tokenMatches(t, 'x'.repeat(10_000)), false);
});

test('authenticate: bearer, query, cookie, precedence', () => {
  const t = newToken();
  assert.equal(authenticate(t, {}), null);
  assert.equal(authenticate(t, { authorization: `Bearer ${t}` }), 'bearer');
  assert.equal(authenticate(t, { authorization: `Basic ${t}` }), null);
  assert.equal(authenticate(t, { query: t }), 'query');
  assert.equal(authenticate(t, { cookie: `a=b; ${TOKEN_COOKIE}=${t}` }), 'cookie');
  assert.equal(authenticate(t, { cookie: `${TOKEN_COOKIE}=old`, query: t }), 'query', 'a stale cookie does not block a fresh URL');
  assert.equal(authenticate(t, { authorization: 'Bearer wrong', query: t }), null, 'a wrong bearer is not rescued');
});

test('Host header must be our loopback address and port (DNS rebinding)', () => {
  assert.ok(hostAllowed('127.0.0.1:4000', 4000));
  assert.ok(hostAllowed('localhost:4000', 4000));
  assert.equal(hostAllowed('127.0.0.1:4001', 4000), false);
  assert.equal(hostAllowed('evil.example:4000', 4000), false);
  assert.equal(hostAllowed('127.0.0.1', 4000), false);
  assert.equal(hostAllowed(undefined, 4000), false);
});

test('Origin, when present, must be ours; fetch metadata must not be cross-site', () => {
  assert.ok(originAllowed(undefined, 4000));
  assert.ok(originAllowed('http://127.0.0.1:4000', 4000));
  assert.equal(originAllowed('http://127.0.0.1:5000', 4000), false);
  assert.equal(originAllowed('https://127.0.0.1:4000', 4000), false);
  assert.equal(originAllowed('null', 4000), false);
  assert.ok(fetchSiteAllowed(undefined) && fetchSiteAllowed('same-origin') && fetchSiteAllowed('none'));
  assert.equal(fetchSiteAllowed('same-site'), false);
  assert.equal(fetchSiteAllowed('cross-site'), false);
});

test('cookie parsing keeps the first value of a name', () => {
  assert.deepEqual(parseCookie('a=1; b=2; a=3; junk; =x'), { a: '1', b: '2' });
});

test('static paths never leave the root', () => {
  const root = '/srv/ui';
  assert.equal(resolveStaticPath(root, '/'), '/srv/ui/index.html');
  assert.equal(resolveStaticPath(root, '/restore/step-2'), '/srv/ui/index.html');
  assert.equal(resolveStaticPath(root, '/assets/index-abc.js'), '/srv/ui/assets/index-abc.js');
  assert.equal(resolveStaticPath(root, '/../etc/passwd'), null);
  assert.equal(resolveStaticPath(root, '/%2e%2e/etc/passwd'), null);
  assert.equal(resolveStaticPath(root, '/assets/..%2f..%2fsecret.js'), null);
  assert.equal(resolveStaticPath(root, '/.env'), null);
  assert.equal(resolveStaticPath(root, '/a%00.js'), null);
  assert.equal(resolveStaticPath(root, '/a%5c..%5cb.js'), null);
  assert.equal(resolveStaticPath(root, '/%E0%A4%A'), null);
});

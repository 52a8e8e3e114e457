import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RempartError } from '../../base/errors.js';
import { classify, DeadlineAbort, parseRetryAfter, Scrubber, StallAbort, toRempartError } from './errors.js';

const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`Invalid response: ${status}`), {
    status,
    response: { headers: { get: (n: string) => headers[n.toLowerCase()] ?? null } },
  });
const sysError = (code: string, message = `request failed, reason: ${code}`) => Object.assign(new Error(message), { code });

test('Scrubber removes the password in every form, userinfo and Authorization values', () => {
  const s = new Scrubber('anne', 'S3cr&t pw');
  const basic = Buffer.from('anne:S3cr&t pw').toString('base64');
  const text = `pw=S3cr&t pw enc=${encodeURIComponent('S3cr&t pw')} hdr=Authorization: Basic ${basic} url=https://anne:x@h/p b64=${basic}`;
  const out = s.scrub(text);
  assert.ok(!out.includes('S3cr&t pw'));
  assert.ok(!out.includes(encodeURIComponent('S3cr&t pw')));
  assert.ok(!out.includes(basic));
  assert.ok(!out.includes('anne:x@'));
  assert.match(out, /https:\/\/h\/p/);
});

test('HTTP statuses map to codes; permanent ones are not retryable', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');
  const cases: [number, string, boolean][] = [
    [401, 'AUTH_FAILED', false], [403, 'AUTH_FAILED', false], [404, 'SERVER_NOT_FOUND', false],
    [507, 'QUOTA_EXCEEDED', false], [500, 'SERVER_ERROR', true], [502, 'SERVER_ERROR', true],
    [503, 'SERVER_ERROR', true], [429, 'SERVER_ERROR', true], [501, 'SERVER_ERROR', false], [400, 'SERVER_UNSUPPORTED', false],
  ];
  for (const [status, code, retryable] of cases) {
    const c = classify(httpError(status), now);
    assert.equal(c.code, code, String(status));
    assert.equal(c.retryable, retryable, String(status));
  }
  assert.equal(classify(httpError(429, { 'retry-after': '7' }), now).retryAfterMs, 7000);
  assert.equal(classify(httpError(503, { 'retry-after': 'Tue, 24 Nov 2026 10:00:30 GMT' }), now).retryAfterMs, 30_000);
});

test('network, TLS, stall and cancel errors', () => {
  const now = 0;
  for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']) {
    assert.deepEqual([classify(sysError(code), now).code, classify(sysError(code), now).retryable], ['NETWORK_UNREACHABLE', true], code);
  }
  assert.equal(classify(sysError('ENOTFOUND'), now).retryable, false);
  for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']) {
    const c = classify(sysError(code), now);
    assert.deepEqual([c.code, c.retryable], ['TLS_ERROR', false], code);
  }
  assert.deepEqual([classify(new StallAbort(1000), now).code, classify(new StallAbort(1000), now).retryable], ['NETWORK_STALLED', true]);
  assert.equal(classify(new DeadlineAbort(5000), now).code, 'NETWORK_STALLED');
  const ac = new AbortController();
  ac.abort();
  assert.equal(classify(Object.assign(new Error('aborted'), { name: 'AbortError' }), now, ac.signal).code, 'CANCELLED');
  assert.deepEqual([classify(sysError('ERR_REMPART_INSECURE'), now).code, classify(sysError('ERR_REMPART_INSECURE'), now).retryable], ['INSECURE_URL', false]);
  const re = new RempartError('DATA_CORRUPT', 'bad');
  assert.equal(classify(re, now).code, 'DATA_CORRUPT');
});

test('toRempartError: code, attempts, hint, host detail, scrubbed, no raw cause', () => {
  const s = new Scrubber('u', 'pw-123');
  const e = toRempartError(classify(sysError('ECONNRESET', 'request to https://u:pw-123@h/x failed (pw-123)'), 0), 'write a.pack', s, { attempts: 3, host: 'h' });
  assert.equal(e.code, 'NETWORK_UNREACHABLE');
  assert.match(e.message, /^write a\.pack: ECONNRESET: .*after 3 attempts/);
  assert.ok(!e.message.includes('pw-123'));
  assert.equal(e.details?.host, 'h');
  assert.equal(e.cause, undefined);
});

test('parseRetryAfter', () => {
  assert.equal(parseRetryAfter('2', 0), 2000);
  assert.equal(parseRetryAfter('garbage', 0), undefined);
  assert.equal(parseRetryAfter(null, 0), undefined);
  assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:01 GMT', 5000), 0);
});

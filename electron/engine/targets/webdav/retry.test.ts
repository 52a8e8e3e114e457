import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { RempartError, isRempartError } from '../../base/errors.js';
import { classify, Scrubber, toRempartError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, withRetry } from './retry.js';

const policy = { ...DEFAULT_RETRY, random: () => 0.5 };
const hooks = (clock: FakeClock) => ({
  classify: (e: unknown) => classify(e, clock.now()),
  fail: (c: ReturnType<typeof classify>, attempts: number) => toRempartError(c, 'op', new Scrubber('u', 'secret-pw'), { attempts }),
});
const httpError = (status: number, retryAfter?: string) =>
  Object.assign(new Error(`HTTP ${status}`), { status, response: { headers: { get: () => retryAfter ?? null } } });

/** Runs withRetry while advancing the fake clock; returns the outcome and the delays the clock saw. */
async function drive<T>(clock: FakeClock, p: Promise<T>): Promise<{ value?: T; error?: unknown; elapsed: number }> {
  const t0 = clock.now();
  let settled = false;
  const out: { value?: T; error?: unknown } = {};
  p.then((v) => (out.value = v), (e) => (out.error = e)).finally(() => (settled = true));
  for (let i = 0; i < 10_000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    await clock.advance(50);
  }
  return { ...out, elapsed: clock.now() - t0 };
}

test('backoff grows exponentially with jitter and is capped', () => {
  const p = { ...DEFAULT_RETRY, random: () => 1 };
  assert.deepEqual([1, 2, 3, 4].map((a) => backoffDelay(p, a)), [500, 1000, 2000, 4000]);
  assert.equal(backoffDelay(p, 20), 30_000);
  assert.equal(backoffDelay({ ...DEFAULT_RETRY, random: () => 0 }, 3), 1000, 'full jitter keeps at least half');
  assert.equal(backoffDelay(p, 1, 10_000), 10_000, 'Retry-After is honoured');
  assert.equal(backoffDelay(p, 1, 3_600_000), 30_000, 'but capped');
});

test('transient failures are retried until success', async () => {
  const clock = new FakeClock(0);
  let calls = 0;
  const r = await drive(clock, withRetry(async () => {
    if (++calls < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    return 'ok';
  }, policy, clock, hooks(clock)));
  assert.equal(r.value, 'ok');
  assert.equal(calls, 3);
  assert.ok(r.elapsed >= 375 + 750, `waited ${r.elapsed} ms`);
});

test('permanent failures stop at once', async () => {
  const clock = new FakeClock(0);
  for (const status of [401, 403, 404, 507]) {
    let calls = 0;
    const r = await drive(clock, withRetry(async () => {
      calls++;
      throw httpError(status);
    }, policy, clock, hooks(clock)));
    assert.equal(calls, 1, String(status));
    assert.ok(r.error instanceof RempartError);
    assert.equal(r.elapsed <= 50, true);
  }
});

test('attempts are bounded, then the error says how many', async () => {
  const clock = new FakeClock(0);
  let calls = 0;
  const r = await drive(clock, withRetry(async () => {
    calls++;
    throw httpError(503);
  }, policy, clock, hooks(clock)));
  assert.equal(calls, DEFAULT_RETRY.maxAttempts);
  assert.ok(isRempartError(r.error, 'SERVER_ERROR'));
  assert.match((r.error as Error).message, /after 6 attempts/);
});

test('429 waits for Retry-After', async () => {
  const clock = new FakeClock(0);
  const at: number[] = [];
  await drive(clock, withRetry(async () => {
    at.push(clock.now());
    if (at.length === 1) throw httpError(429, '12');
    return 1;
  }, policy, clock, hooks(clock)));
  assert.ok(at[1]! - at[0]! >= 12_000, `${at[1]! - at[0]!} ms`);
});

test('a cancel during the backoff stops with CANCELLED', async () => {
  const clock = new FakeClock(0);
  const ac = new AbortController();
  const p = withRetry(async () => {
    throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
  }, policy, clock, hooks(clock), ac.signal);
  setImmediate(() => ac.abort());
  await assert.rejects(p, (e) => isRempartError(e, 'CANCELLED'));
});

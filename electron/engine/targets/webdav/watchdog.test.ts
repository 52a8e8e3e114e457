import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { DeadlineAbort, StallAbort } from './errors.js';
import { RequestGuard } from './watchdog.js';

test('the idle watchdog fires after idleMs without progress; touch() re-arms it', async () => {
  const clock = new FakeClock(0);
  const g = new RequestGuard(clock, 1000, 60_000);
  await clock.advance(900);
  g.touch();
  await clock.advance(900);
  assert.equal(g.signal.aborted, false);
  await clock.advance(200);
  assert.equal(g.signal.aborted, true);
  assert.ok(g.ownAbortReason() instanceof StallAbort);
  assert.ok(g.explain(new Error('AbortError')) instanceof StallAbort);
  g.done();
});

test('the deadline fires even with steady progress', async () => {
  const clock = new FakeClock(0);
  const g = new RequestGuard(clock, 1000, 5000);
  for (let i = 0; i < 6; i++) {
    await clock.advance(900);
    g.touch();
  }
  assert.ok(g.ownAbortReason() instanceof DeadlineAbort);
});

test('a caller abort propagates and is not reported as ours; done() leaves no timer', async () => {
  const clock = new FakeClock(0);
  const ac = new AbortController();
  const g = new RequestGuard(clock, 1000, 5000, ac.signal);
  ac.abort(new Error('user'));
  assert.equal(g.signal.aborted, true);
  assert.equal(g.ownAbortReason(), undefined);
  const g2 = new RequestGuard(clock, 1000, 5000);
  g2.done();
  await clock.advance(10_000);
  assert.equal(g2.signal.aborted, false);
});

test('pause() stops the idle watchdog (a slow consumer), touch() re-arms it', async () => {
  const clock = new FakeClock(0);
  const g = new RequestGuard(clock, 1000, 60_000);
  g.pause();
  await clock.advance(5000);
  assert.equal(g.signal.aborted, false);
  g.touch();
  await clock.advance(1001);
  assert.ok(g.ownAbortReason() instanceof StallAbort);
  g.done();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';

test('FakeClock fires timers in order and only when due', async () => {
  const clock = new FakeClock(1_000);
  const fired: string[] = [];
  clock.setTimer(500, () => fired.push('b'));
  clock.setTimer(100, () => fired.push('a'));
  const cancel = clock.setTimer(200, () => fired.push('never'));
  cancel();
  await clock.advance(300);
  assert.deepEqual(fired, ['a']);
  await clock.advance(300);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(clock.now(), 1_600);
});

test('a timer set from a firing timer fires within the same advance when due', async () => {
  const clock = new FakeClock(0);
  const fired: number[] = [];
  clock.setTimer(10, () => {
    fired.push(clock.now());
    clock.setTimer(10, () => fired.push(clock.now()));
  });
  await clock.advance(25);
  assert.deepEqual(fired, [10, 20]);
});

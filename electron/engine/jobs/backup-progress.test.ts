import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { ProgressTracker } from './backup-progress.js';
import type { BackupProgress } from '../api.js';

test('progress: throttled to ~4/s, phase changes always reported, rate and ETA', async () => {
  const clock = new FakeClock(new Date('2026-11-24T10:00:00Z'));
  const seen: BackupProgress[] = [];
  const p = new ProgressTracker(clock, (x) => seen.push(x));
  p.filesTotal = 10;
  p.bytesTotal = 1000;
  p.setPhase('backing-up');
  assert.equal(seen.length, 1);
  for (let i = 0; i < 10; i++) {
    p.bytesDone += 10;
    p.emit();
  }
  assert.equal(seen.length, 1, 'no event within 250 ms');
  await clock.advance(1000);
  p.bytesDone = 200;
  p.emit();
  assert.equal(seen.length, 2);
  const last = seen[1];
  assert.equal(last.bytesPerSecond, 200);
  assert.equal(last.etaSeconds, 4);
  assert.equal(last.phase, 'backing-up');
  p.setPhase('finishing');
  assert.equal(seen.at(-1)?.phase, 'finishing');
  assert.equal(seen.at(-1)?.etaSeconds, null);
});

test('progress: a throwing listener never breaks the run', () => {
  const p = new ProgressTracker(new FakeClock(0), () => {
    throw new Error('boom');
  });
  assert.doesNotThrow(() => p.setPhase('backing-up'));
});

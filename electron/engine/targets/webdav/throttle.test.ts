import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FakeClock } from '../../base/clock.js';
import { isRempartError } from '../../base/errors.js';
import { TokenBucket, UploadMeter } from './throttle.js';

test('the token bucket paces bytes at the configured rate (fake clock)', async () => {
  const clock = new FakeClock(0);
  const bucket = new TokenBucket(100, clock); // 100 KB/s = 102400 B/s
  let sent = 0;
  const total = 512 * 1024;
  const run = (async () => {
    while (sent < total) {
      const n = Math.min(bucket.sliceBytes, total - sent);
      await bucket.take(n);
      sent += n;
    }
  })();
  let done = false;
  void run.then(() => (done = true));
  while (!done) {
    await new Promise((r) => setImmediate(r));
    await clock.advance(10);
  }
  const expected = ((total - bucket.burst) / bucket.rate) * 1000;
  assert.ok(Math.abs(clock.now() - expected) <= expected * 0.05 + 20, `took ${clock.now()} ms, expected ~${expected}`);
});

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

test('UploadMeter counts and hashes, and reports progress', async () => {
  const data = Buffer.from('x'.repeat(100_000));
  const seen: number[] = [];
  const m = new UploadMeter({ expectedBytes: data.length, sha256: true, onBytes: (n) => seen.push(n) });
  await pipeline(Readable.from([data.subarray(0, 40_000), data.subarray(40_000)]), m, sink());
  assert.equal(m.bytes, data.length);
  assert.equal(m.md5Hex, createHash('md5').update(data).digest('hex'));
  assert.equal(m.sha256Hex, createHash('sha256').update(data).digest('hex'));
  assert.equal(seen.at(-1), data.length);
});

test('UploadMeter rejects a source shorter or longer than declared', async () => {
  await assert.rejects(pipeline(Readable.from([Buffer.alloc(10)]), new UploadMeter({ expectedBytes: 11 }), sink()), (e) =>
    isRempartError(e, 'INVALID_INPUT'));
  await assert.rejects(pipeline(Readable.from([Buffer.alloc(12)]), new UploadMeter({ expectedBytes: 11 }), sink()), (e) =>
    isRempartError(e, 'INVALID_INPUT'));
});

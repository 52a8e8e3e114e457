import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../engine/base/clock.js';
import { defaultSettings } from '../config/defaults.js';
import { MemorySecretStore, RecordingNotifier } from '../ports-fake.js';
import { AlertCenter } from './alert-center.js';
import { pingUrlFor, sendPing } from './ping.js';

test('ping URLs follow the Healthchecks convention and hit a loopback server; a dead server is ignored', async () => {
  assert.equal(pingUrlFor('https://hc.example/ping/abc', 'start'), 'https://hc.example/ping/abc/start');
  assert.equal(pingUrlFor('https://hc.example/ping/abc/', 'fail'), 'https://hc.example/ping/abc/fail');
  assert.equal(pingUrlFor('https://hc.example/ping/abc', 'success'), 'https://hc.example/ping/abc');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('OK');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping/uuid-1`;
  try {
    assert.equal(await sendPing(base, 'start'), true);
    assert.equal(await sendPing(base, 'success'), true);
    assert.equal(await sendPing(base, 'fail'), true);
    assert.deepEqual(seen, ['GET /ping/uuid-1/start', 'GET /ping/uuid-1', 'GET /ping/uuid-1/fail']);
  } finally {
    await new Promise((r) => server.close(r));
  }
  assert.equal(await sendPing(base, 'success', 1000), false); // closed: no throw
  assert.equal(await sendPing(undefined, 'success'), false);
});

test('alerts are deduplicated per day (user time zone), recorded across restarts, and notified', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-alerts-'));
  try {
    const clock = new FakeClock(new Date('2026-11-24T10:00:00Z'));
    const notifier = new RecordingNotifier();
    const emitted: string[] = [];
    const deps = {
      dataDir: dir, clock, timeZone: 'Europe/Paris', notifier, secrets: new MemorySecretStore(), settings: () => defaultSettings(),
      emit: (a: { reason: string }) => emitted.push(a.reason),
    };
    const c = await AlertCenter.open(deps);
    assert.ok(await c.raise('cloud', 'failure', 'T', 'B'));
    assert.equal(await c.raise('cloud', 'failure', 'T', 'B'), null);
    assert.ok(await c.raise('usb', 'failure', 'T', 'B')); // another target
    assert.ok(c.inAlarm('cloud'));
    await clock.set(new Date('2026-11-24T22:30:00Z')); // 23:30 in Paris: same day
    assert.equal(await c.raise('cloud', 'failure', 'T', 'B'), null);
    await clock.set(new Date('2026-11-24T23:30:00Z')); // 00:30 the next day in Paris
    const c2 = await AlertCenter.open(deps); // restart: history reloaded
    assert.ok(await c2.raise('cloud', 'failure', 'T', 'B'));
    assert.equal(c2.list().length, 3);
    assert.equal(notifier.sent.length, 3);
    assert.deepEqual(emitted, ['failure', 'failure', 'failure']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

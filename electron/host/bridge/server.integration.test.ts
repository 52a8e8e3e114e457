/**
 * The bridge's HTTP security, against a tiny in-process fake Host (the contract only): token, Host, Origin, payload
 * validation, static files and SSE. The round trip through the real orchestrator is in bridge-host.integration.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, RempartApi, RempartEvents } from '../../contract/api.js';
import { FakeClock } from '../../engine/base/clock.js';
import { startBridge, type Bridge, type BridgeHost } from './server.js';

type Listener = (p: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const calls: { method: string; payload: unknown }[] = [];
const api = new Proxy({} as RempartApi, {
  get: (_t, method: string) => async (payload: unknown) => {
    calls.push({ method, payload });
    if (method === 'getHistory') throw new Error('boom');
    return { ok: true, value: { echo: method } };
  },
});
const fakeHost: BridgeHost = {
  api,
  on<E extends EventName>(event: E, fn: (p: RempartEvents[E]) => void) {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(fn as Listener);
    return () => set.delete(fn as Listener);
  },
};
const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((fn) => fn(payload));

let dir: string;
let bridge: Bridge;
const clock = new FakeClock(Date.parse('2026-11-24T10:00:00Z'));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-bridge-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Rempart</title>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, '.secret'), 'no');
  bridge = await startBridge({ host: fakeHost, port: 0, staticDir: dir, testHooks: { clock, notifications: () => [{ title: 't' }] } });
});
after(async () => {
  await bridge?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${bridge.port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
const auth = () => ({ authorization: `Bearer ${bridge.token}` });
const json = { 'content-type': 'application/json' };

test('binds 127.0.0.1 and prints a token URL', () => {
  assert.match(bridge.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
});

test('nothing answers without the token, not even the index', async () => {
  for (const path of ['/', '/assets/app.js', '/api/events', '/api/_test/alerts']) {
    const r = await send(path);
    assert.equal(r.status, 401, path);
    assert.ok(!r.body.includes('Rempart</title>'));
  }
  const r = await send('/api/getStatus', { method: 'POST' });
  assert.equal(r.status, 401);
  assert.equal((await send('/api/getStatus', { method: 'POST', headers: { authorization: 'Bearer nope' } })).status, 401);
  assert.equal((await send('/?token=nope')).status, 401);
  assert.equal(calls.length, 0);
});

test('the token URL serves the UI, sets an HttpOnly cookie, and the cookie then works', async () => {
  const r = await send(`/?token=${bridge.token}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<title>Rempart<\/title>/);
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
  assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(r.headers['x-frame-options'], 'DENY');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  const asset = await send('/assets/app.js', { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-type']), /javascript/);
  assert.equal((await send('/.secret', { headers: auth() })).status, 404);
  assert.equal((await send('/settings', { headers: auth() })).status, 200, 'client routes fall back to index.html');
});

test('a foreign Host header is refused even with the token (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${bridge.port}`, `127.0.0.1:${bridge.port + 1}`]) {
    const r = await send('/api/getStatus', { method: 'POST', headers: { ...auth(), host } });
    assert.equal(r.status, 421, host);
  }
  assert.equal((await send('/api/getStatus', { method: 'POST', headers: { ...auth(), host: `localhost:${bridge.port}` } })).status, 200);
});

test('a foreign Origin or cross-site fetch is refused even with the token', async () => {
  const bad: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: `http://127.0.0.1:${bridge.port + 1}` }, { 'sec-fetch-site': 'same-site' }];
  for (const h of bad) {
    const r = await send('/api/backupNow', { method: 'POST', headers: { ...auth(), ...json, ...h }, body: '{}' });
    assert.equal(r.status, 403, JSON.stringify(h));
  }
  const ok = await send('/api/backupNow', { method: 'POST', headers: { ...auth(), ...json, origin: bridge.origin }, body: '{"target":"usb"}' });
  assert.equal(ok.status, 200);
});

test('POST /api/<method>: validated payload reaches the host, Result comes back', async () => {
  calls.length = 0;
  const r = await send('/api/backupNow', { method: 'POST', headers: { ...auth(), ...json }, body: '{"target":"cloud"}' });
  assert.deepEqual(JSON.parse(r.body), { ok: true, value: { echo: 'backupNow' } });
  assert.deepEqual(calls, [{ method: 'backupNow', payload: { target: 'cloud' } }]);
  const noBody = await send('/api/getStatus', { method: 'POST', headers: auth() });
  assert.equal(JSON.parse(noBody.body).ok, true);
});

test('bad payloads, unknown methods, wrong verbs and bodies never reach the host', async () => {
  calls.length = 0;
  const cases: [string, Parameters<typeof send>[1], number][] = [
    ['/api/backupNow', { method: 'POST', headers: { ...auth(), ...json }, body: '{"target":"ftp"}' }, 400],
    ['/api/openPath', { method: 'POST', headers: { ...auth(), ...json }, body: '{"path":"relative"}' }, 400],
    ['/api/backupNow', { method: 'POST', headers: { ...auth(), ...json }, body: '{not json' }, 400],
    ['/api/backupNow', { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain' }, body: '{}' }, 415],
    ['/api/constructor', { method: 'POST', headers: { ...auth(), ...json }, body: '{}' }, 404],
    ['/api/getStatus', { method: 'GET', headers: auth() }, 405],
    ['/api/openPath', { method: 'POST', headers: { ...auth(), ...json }, body: JSON.stringify({ path: '/' + 'a'.repeat(9 * 1024 * 1024) }) }, 413],
  ];
  for (const [path, opts, status] of cases) {
    const r = await send(path, opts);
    assert.equal(r.status, status, `${path} ${opts?.body?.slice(0, 40)}`);
    assert.equal(JSON.parse(r.body).error.code, 'INVALID_INPUT');
  }
  assert.equal(calls.length, 0);
});

test('a host that throws yields an UNKNOWN Result, not a crash', async () => {
  const r = await send('/api/getHistory', { method: 'POST', headers: { ...auth(), ...json }, body: '{}' });
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { ok: false, error: { code: 'UNKNOWN', message: 'boom' } });
});

test('GET /api/events streams host events (EventSource-style ?token=)', async () => {
  const received = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path: `/api/events?token=${bridge.token}`, headers: { host: `127.0.0.1:${bridge.port}` } }, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        if (buf.includes(': connected')) emit('navigate', { screen: 'restore' });
        if (buf.includes('event: navigate')) {
          req.destroy();
          resolve(buf);
        }
      });
    });
    req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
    req.end();
  });
  assert.match(received, /event: navigate\ndata: \{"screen":"restore"\}\n\n/);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(listeners.get('navigate')?.size, 0, 'listeners removed when the client goes away');
});

test('test hooks drive the FakeClock and list recorded alerts', async () => {
  const adv = await send('/api/_test/clock/advance', { method: 'POST', headers: { ...auth(), ...json }, body: '{"ms":3600000}' });
  assert.deepEqual(JSON.parse(adv.body), { ok: true, value: { now: '2026-11-24T11:00:00.000Z' } });
  const set = await send('/api/_test/clock/set', { method: 'POST', headers: { ...auth(), ...json }, body: '{"time":"2026-11-26T08:00:00Z"}' });
  assert.equal(JSON.parse(set.body).value.now, '2026-11-26T08:00:00.000Z');
  const back = await send('/api/_test/clock/set', { method: 'POST', headers: { ...auth(), ...json }, body: '{"time":"2026-01-01T00:00:00Z"}' });
  assert.equal(back.status, 400);
  const alerts = await send('/api/_test/alerts', { headers: auth() });
  assert.deepEqual(JSON.parse(alerts.body), { ok: true, value: [{ title: 't' }] });
});

test('without test hooks the _test routes do not exist', async () => {
  const plain = await startBridge({ host: fakeHost, port: 0, staticDir: dir });
  try {
    const r = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: plain.port, path: '/api/_test/clock/advance', method: 'POST', headers: { host: `127.0.0.1:${plain.port}`, authorization: `Bearer ${plain.token}`, ...json } },
        (res) => { res.resume(); resolve(res.statusCode ?? 0); },
      );
      req.on('error', reject);
      req.end('{"ms":1000}');
    });
    assert.equal(r, 404);
    assert.notEqual(plain.token, bridge.token, 'a fresh token per launch');
  } finally {
    await plain.close();
  }
});

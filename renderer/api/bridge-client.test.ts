import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { StatusDto } from '../../electron/contract/api.js';
import { startContractServer, type ContractServer } from '../test-support/contract-server.js';
import { createBridgeClient } from './bridge-client.js';
import { parseSse } from './sse.js';

const status: StatusDto = { now: '2026-11-24T18:40:00.000Z', timeZone: 'Europe/Paris', configured: true, overall: 'green', targets: [] };
let server: ContractServer;

before(async () => {
  server = await startContractServer({
    getStatus: () => ({ ok: true, value: status }),
    backupNow: (p: { target?: string }) => (p.target === 'usb' ? { ok: false, error: { code: 'DRIVE_NOT_PLUGGED', message: 'no drive', details: { label: 'Boutique' } } } : { ok: true, value: true }),
    getHistory: (p: { limit?: number }) => ({ ok: true, value: [{ limit: p.limit }] }),
  });
});
after(() => server.close());

test('each method POSTs its payload to /api/<method> with the bearer token and returns the Result as sent', async () => {
  const client = createBridgeClient({ baseUrl: server.baseUrl, token: server.token });
  assert.deepEqual(await client.getStatus(), { ok: true, value: status });
  const failed = await client.backupNow({ target: 'usb' });
  assert.equal(failed.ok, false);
  assert.equal(!failed.ok && failed.error.code, 'DRIVE_NOT_PLUGGED');
  assert.deepEqual(!failed.ok && failed.error.details, { label: 'Boutique' });
  assert.deepEqual(await client.getHistory({ limit: 7 }), { ok: true, value: [{ limit: 7 }] });
  const sent = server.calls.slice(-3);
  assert.deepEqual(sent.map((c) => c.method), ['getStatus', 'backupNow', 'getHistory']);
  assert.deepEqual(sent[1].payload, { target: 'usb' });
  assert.equal(sent[0].payload, null);
  assert.ok(sent.every((c) => c.authorization === `Bearer ${server.token}`));
  client.close();
});

test('a wrong token gets a Result error, not an exception', async () => {
  const client = createBridgeClient({ baseUrl: server.baseUrl, token: 'wrong' });
  const res = await client.getStatus();
  assert.equal(res.ok, false);
  assert.match(!res.ok ? res.error.message : '', /HTTP 401/);
  client.close();
});

test('an unreachable bridge gives a retryable Result error', async () => {
  const client = createBridgeClient({ baseUrl: 'http://127.0.0.1:1', token: 't' });
  const res = await client.getSettings();
  assert.equal(res.ok, false);
  assert.equal(!res.ok && res.error.retryable, true);
  client.close();
});

test('events arrive per name from the SSE stream (token in header and query), and unsubscribe stops them', async () => {
  const states: boolean[] = [];
  const client = createBridgeClient({ baseUrl: server.baseUrl, token: server.token, onConnection: (c) => states.push(c), retryMs: 50 });
  const got: unknown[] = [];
  const alerts: unknown[] = [];
  const off = client.on('status', (s) => got.push(s));
  client.on('alert', (a) => alerts.push(a));
  await waitFor(() => server.streams() === 1);
  assert.match(server.eventRequests.at(-1)!.url, new RegExp(`token=${server.token}`));
  assert.equal(server.eventRequests.at(-1)!.authorization, `Bearer ${server.token}`);
  server.push('status', status);
  server.push('alert', { at: status.now, targetId: null, reason: 'test', title: 'T', body: 'B' });
  await waitFor(() => got.length === 1 && alerts.length === 1);
  assert.deepEqual(got[0], status);
  off();
  server.push('status', status);
  server.push('alert', { at: status.now, targetId: null, reason: 'test', title: 'T2', body: 'B2' });
  await waitFor(() => alerts.length === 2);
  assert.equal(got.length, 1);
  assert.deepEqual(states, [true]);
  client.close();
  await waitFor(() => server.streams() === 0);
});

test('parseSse handles multi-line data, comments, CRLF and a partial tail', () => {
  const { messages, rest } = parseSse(': hi\r\n\r\nevent: status\ndata: {"a":\ndata: 1}\n\nevent: alert\ndata: {"b"');
  assert.deepEqual(messages, [{ event: 'status', data: '{"a":\n1}' }]);
  assert.equal(rest, 'event: alert\ndata: {"b"');
});

async function waitFor(fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

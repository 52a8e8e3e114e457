import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS, type RempartApi } from '../contract/api.js';
import { channelFor, checkSender, handleInvoke, registerIpc, type SenderInfo, type TrustedRenderer } from './ipc.js';
import { APP_ORIGIN } from './navigation-policy.js';

const trusted: TrustedRenderer = { webContentsId: 7, origin: APP_ORIGIN };
const good: SenderInfo = { sender: { id: 7 }, senderFrame: { url: `${APP_ORIGIN}/index.html#/restore`, parent: null } };

function recordingApi() {
  const calls: { method: string; payload: unknown }[] = [];
  const api = new Proxy({} as RempartApi, {
    get: (_t, method: string) => async (payload: unknown) => {
      calls.push({ method, payload });
      return { ok: true, value: method };
    },
  });
  return { api, calls };
}

test('checkSender accepts only our window, its main frame, at our origin', () => {
  assert.equal(checkSender(good, trusted), 'ok');
  assert.equal(checkSender(good, null), 'no-window');
  assert.equal(checkSender({ ...good, sender: { id: 8 } }, trusted), 'unknown-sender');
  assert.equal(checkSender({ ...good, senderFrame: null }, trusted), 'frame-gone');
  assert.equal(checkSender({ ...good, senderFrame: { url: `${APP_ORIGIN}/x`, parent: {} } }, trusted), 'not-main-frame');
  for (const url of ['https://evil.example/', 'app://evil/index.html', 'file:///etc/passwd', 'app://rempart.evil/', 'about:blank', 'garbage']) {
    assert.equal(checkSender({ ...good, senderFrame: { url, parent: null } }, trusted), 'wrong-origin', url);
  }
});

test('unknown senders never reach the host', async () => {
  const { api, calls } = recordingApi();
  const logs: string[] = [];
  const deps = { api, trusted: () => trusted, log: (m: string) => logs.push(m) };
  const r = await handleInvoke('backupNow', { ...good, sender: { id: 99 } }, { target: 'usb' }, deps);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'INVALID_INPUT');
  const sub = await handleInvoke('openPath', { ...good, senderFrame: { url: `${APP_ORIGIN}/`, parent: {} } }, { path: '/tmp' }, deps);
  assert.equal(sub.ok, false);
  assert.equal(calls.length, 0);
  assert.equal(logs.length, 2);
});

test('bad payloads never reach the host, and secrets are not logged', async () => {
  const { api, calls } = recordingApi();
  const logs: string[] = [];
  const deps = { api, trusted: () => trusted, log: (m: string) => logs.push(m) };
  const bad: [Parameters<typeof handleInvoke>[0], unknown][] = [
    ['openPath', { path: 'relative/path' }],
    ['backupNow', { target: 'everything' }],
    ['setWebdavPassword', { password: 'hunter2-secret', extra: true }],
    ['startDrill', { target: 'usb', secret: { passphrase: 'p', recoveryKey: 'k' } }],
    ['getStatus', { sneaky: 1 }],
  ];
  for (const [method, payload] of bad) {
    const r = await handleInvoke(method, good, payload, deps);
    assert.equal(r.ok, false, method);
    if (!r.ok) assert.equal(r.error.code, 'INVALID_INPUT');
  }
  assert.equal(calls.length, 0);
  assert.ok(!logs.join('\n').includes('hunter2'));
});

test('a valid call from the trusted frame reaches the host with the validated copy', async () => {
  const { api, calls } = recordingApi();
  const payload = { target: 'cloud' };
  const r = await handleInvoke('backupNow', good, payload, { api, trusted: () => trusted });
  assert.deepEqual(r, { ok: true, value: 'backupNow' });
  assert.deepEqual(calls, [{ method: 'backupNow', payload: { target: 'cloud' } }]);
  assert.notEqual(calls[0]!.payload, payload);
});

test('a host that throws gives an UNKNOWN Result', async () => {
  const api = new Proxy({} as RempartApi, { get: () => async () => { throw new Error('kaput'); } });
  const r = await handleInvoke('getStatus', good, undefined, { api, trusted: () => trusted });
  assert.deepEqual(r, { ok: false, error: { code: 'UNKNOWN', message: 'kaput' } });
});

test('registerIpc registers exactly one rempart:<method> per API method and removes them', async () => {
  const handlers = new Map<string, (event: SenderInfo, ...args: unknown[]) => unknown>();
  const fakeIpcMain = {
    handle: (channel: string, fn: (event: SenderInfo, ...args: unknown[]) => unknown) => {
      assert.ok(!handlers.has(channel));
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const { api, calls } = recordingApi();
  const off = registerIpc(fakeIpcMain as never, { api, trusted: () => trusted });
  assert.deepEqual([...handlers.keys()].sort(), API_METHODS.map((m) => `rempart:${m}`).sort());
  assert.equal(channelFor('getStatus'), 'rempart:getStatus');
  assert.deepEqual(await handlers.get('rempart:getStatus')!(good), { ok: true, value: 'getStatus' });
  const two = (await handlers.get('rempart:backupNow')!(good, {}, {})) as { ok: boolean };
  assert.equal(two.ok, false, 'extra arguments are refused');
  assert.equal(calls.length, 1);
  off();
  assert.equal(handlers.size, 0);
});

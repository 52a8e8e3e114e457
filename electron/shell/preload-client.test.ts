import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS } from '../contract/api.js';
import { buildPreloadClient, type IpcRendererPort } from './preload-client.js';

function fakeIpc() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(e: unknown, m: never) => void>>();
  const ipc: IpcRendererPort = {
    async invoke(channel, ...args) {
      invoked.push({ channel, args });
      return { ok: true, value: channel };
    },
    on(channel, fn) {
      (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(fn as never);
    },
    removeListener(channel, fn) {
      listeners.get(channel)?.delete(fn as never);
    },
  };
  const send = (channel: string, message: unknown) => listeners.get(channel)?.forEach((fn) => fn({}, message as never));
  return { ipc, invoked, listeners, send };
}

test('exactly one function per API method plus on(), frozen', () => {
  const client = buildPreloadClient(fakeIpc().ipc);
  assert.deepEqual(Object.keys(client).sort(), [...API_METHODS, 'on'].sort());
  assert.ok(Object.isFrozen(client));
  assert.equal((client as unknown as Record<string, unknown>).invoke, undefined);
});

test('methods invoke rempart:<method> with their single payload', async () => {
  const f = fakeIpc();
  const client = buildPreloadClient(f.ipc);
  assert.deepEqual(await client.backupNow({ target: 'usb' }), { ok: true, value: 'rempart:backupNow' });
  await client.getStatus();
  assert.deepEqual(f.invoked, [
    { channel: 'rempart:backupNow', args: [{ target: 'usb' }] },
    { channel: 'rempart:getStatus', args: [undefined] },
  ]);
});

test('on() delivers only its event from rempart:event and unsubscribes', () => {
  const f = fakeIpc();
  const client = buildPreloadClient(f.ipc);
  const got: unknown[] = [];
  const off = client.on('navigate', (p) => got.push(p));
  f.send('rempart:event', { event: 'navigate', payload: { screen: 'restore' } });
  f.send('rempart:event', { event: 'status', payload: { overall: 'green' } });
  f.send('rempart:other', { event: 'navigate', payload: { screen: 'history' } });
  f.send('rempart:event', null);
  assert.deepEqual(got, [{ screen: 'restore' }]);
  off();
  assert.equal(f.listeners.get('rempart:event')?.size, 0);
  assert.throws(() => client.on('bogus' as never, () => undefined), TypeError);
  assert.throws(() => client.on('status', 'x' as never), TypeError);
});

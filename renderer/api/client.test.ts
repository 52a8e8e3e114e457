import '../test-support/dom.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Window } from 'happy-dom';
import type { RempartClient } from '../../electron/contract/api.js';
import { pickClient, takeToken } from './client.js';

const page = (url: string) => new Window({ url }) as unknown as globalThis.Window;

test('the token is read once from the address, kept for the tab and removed from the address bar', () => {
  const win = page('http://127.0.0.1:4000/?token=s3cret&x=1#top');
  assert.equal(takeToken(win), 's3cret');
  assert.equal(win.location.href, 'http://127.0.0.1:4000/?x=1#top');
  assert.equal(win.sessionStorage.getItem('rempart.token'), 's3cret');
  assert.equal(takeToken(win), 's3cret', 'a reload finds it in sessionStorage');
});

test('Electron preload wins; without preload and without token the page says it needs the link', () => {
  const electron = page('file:///app/index.html');
  const preload = { on: () => () => {} } as unknown as RempartClient;
  (electron as unknown as { rempart: RempartClient }).rempart = preload;
  const picked = pickClient(electron);
  assert.equal(picked.kind, 'electron');
  assert.equal(picked.kind === 'electron' && picked.client, preload);
  assert.equal(pickClient(page('http://127.0.0.1:4000/')).kind, 'no-token');
  assert.equal(pickClient(page('http://127.0.0.1:4000/?token=abc')).kind, 'bridge');
});

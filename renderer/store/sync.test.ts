import '../test-support/dom.js';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { useStore } from './index.js';
import { connect, resetAll, until } from '../test-support/harness.js';
import { status, target } from '../test-support/fixtures.js';

afterEach(resetAll);

const settings = { version: 1, language: 'fr' as const, sources: ['/a'], excludes: [], alerts: { desktopNotifications: true }, drillIntervalDays: 90, startAtLogin: true };

test('pushed events enter the store in one place: navigate (ignored during setup), alert, restoreProgress', async (t) => {
  const h = await connect({ getHistory: () => ({ ok: true, value: [] }), getAlerts: () => ({ ok: true, value: [] }) }, { sync: true });
  t.after(h.stop);
  await until(() => h.server.streams() === 1);

  useStore.setState({ screen: 'setup', settings: null });
  h.server.push('navigate', { screen: 'history' });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(useStore.getState().screen, 'setup', 'a tray click must not leave the first-run wizard');

  useStore.setState({ screen: 'dashboard', settings });
  h.server.push('navigate', { screen: 'history' });
  await until(() => useStore.getState().screen === 'history');
  // Opening the history fetches the alerts: let that answer land first, or it would replace the pushed alert below.
  await until(() => h.server.calls.some((c) => c.method === 'getAlerts'));
  await new Promise((r) => setTimeout(r, 200));

  h.server.push('alert', { at: '2026-11-24T10:00:00.000Z', targetId: 'usb-1', reason: 'stale', title: 'T', body: 'B' });
  await until(() => useStore.getState().alerts.length === 1);
  assert.equal(useStore.getState().freshAlert?.title, 'T');

  useStore.getState().restoreChanged({ sessionId: 's1', busy: true });
  h.server.push('restoreProgress', { sessionId: 'other', filesDone: 1, filesTotal: 2, bytesDone: 1, bytesTotal: 2, currentFile: null });
  h.server.push('restoreProgress', { sessionId: 's1', filesDone: 5, filesTotal: 9, bytesDone: 50, bytesTotal: 90, currentFile: '/x' });
  await until(() => useStore.getState().restore.progress !== null);
  assert.equal(useStore.getState().restore.progress!.filesDone, 5, 'progress of another session is ignored');
});

test('a run that ends refreshes the journal; cancelling is cleared', async (t) => {
  const h = await connect({ getHistory: () => ({ ok: true, value: [] }) }, { sync: true });
  t.after(h.stop);
  await until(() => h.server.streams() === 1);
  useStore.setState({ status: status('running', [target('usb', { state: 'running' })]), cancelling: true });
  h.server.push('status', status('green', [target('usb')]));
  await until(() => h.server.calls.some((c) => c.method === 'getHistory'));
  assert.equal(useStore.getState().cancelling, false);
});

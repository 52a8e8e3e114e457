// @jsxRuntime automatic
import '../../test-support/dom.js';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { useStore } from '../../store/index.js';
import { journalEntry, status, target } from '../../test-support/fixtures.js';
import { connect, resetAll, until } from '../../test-support/harness.js';
import { History } from './History.js';

afterEach(resetAll);

const entries = [
  journalEntry({ runId: 'c1', kind: 'cloud', targetId: 'cloud-1', outcome: 'failed', files: 0, bytesRead: 0, error: { code: 'AUTH_FAILED', message: '401 Unauthorized' } }),
  journalEntry({ runId: 'u1', kind: 'usb', targetId: 'usb-1', outcome: 'partial', skipped: [{ path: '/home/b/caisse.lock', reason: 'EBUSY' }] }),
  journalEntry({ runId: 'u2', kind: 'usb', targetId: 'usb-1', outcome: 'success', trigger: 'plug', verification: { at: '2026-11-24T17:02:00.000Z', kind: 'after-run', ok: false, detail: 'pack mismatch' } }),
];

test('the journal is filterable by copy, with plain errors, skipped files and failed checks', async (t) => {
  const h = await connect({
    getHistory: (p: { target?: 'usb' | 'cloud'; limit?: number }) => ({ ok: true, value: entries.filter((e) => !p.target || e.kind === p.target) }),
  });
  t.after(h.stop);
  useStore.setState({ status: status('red', [target('usb'), target('cloud')]) });
  render(<History />);
  await act(() => useStore.getState().historyRequested());
  const journal = () => within(screen.getByTestId('journal'));
  assert.equal(journal().getAllByRole('listitem').filter((li) => li.classList.contains('journal-entry')).length, 3);
  assert.ok(journal().getByText('Le serveur cloud.exemple.fr refuse le mot de passe.'));
  assert.ok(journal().getByText('1 fichier ignoré'));
  assert.ok(journal().getByText('/home/b/caisse.lock'));
  assert.ok(journal().getByText('Vérification échouée'));
  assert.ok(journal().getByText('(clé branchée)'));

  fireEvent.click(screen.getByRole('radio', { name: 'Cloud' }));
  await until(() => useStore.getState().history.length === 1);
  assert.deepEqual(h.server.calls.at(-1)!.payload, { target: 'cloud', limit: 200 });
  assert.equal(screen.getByRole('radio', { name: 'Cloud' }).getAttribute('aria-checked'), 'true');
  assert.equal(journal().queryByText('1 fichier ignoré'), null);

  // Keyboard: arrows move the choice within the group (one tab stop).
  assert.equal(screen.getByRole('radio', { name: 'Cloud' }).getAttribute('tabindex'), '0');
  assert.equal(screen.getByRole('radio', { name: 'Toutes' }).getAttribute('tabindex'), '-1');
  fireEvent.keyDown(screen.getByRole('radio', { name: 'Cloud' }), { key: 'Home' });
  await until(() => useStore.getState().history.length === 3);
  assert.deepEqual(h.server.calls.at(-1)!.payload, { limit: 200 });
});

test('the alerts sent are listed with their text', async (t) => {
  const h = await connect({
    getHistory: () => ({ ok: true, value: [] }),
    getAlerts: () => ({ ok: true, value: [{ at: '2026-11-24T10:00:00.000Z', targetId: 'usb-1', reason: 'stale', title: 'Clé USB en retard', body: 'Branchez la clé « Sauvegarde Boutique ».' }] }),
  });
  t.after(h.stop);
  useStore.setState({ status: status('orange', [target('usb'), target('cloud')]) });
  render(<History />);
  act(() => useStore.getState().navigated('history'));
  await screen.findByText('Clé USB en retard');
  assert.ok(screen.getByText('Branchez la clé « Sauvegarde Boutique ».'));
  assert.deepEqual(h.server.calls.find((c) => c.method === 'getAlerts')!.payload, { limit: 50 });
});

test('an empty journal says so', () => {
  render(<History />);
  assert.ok(screen.getByText('Aucune sauvegarde pour l’instant.'));
});

// @jsxRuntime automatic
import '../../test-support/dom.js';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from '../app/App.js';
import { useStore } from '../../store/index.js';
import { connect, resetAll, until } from '../../test-support/harness.js';
import { journalEntry, status, target } from '../../test-support/fixtures.js';
import { Dashboard } from './Dashboard.js';

afterEach(resetAll);

const card = (kind: 'usb' | 'cloud') => screen.getByTestId(`card-${kind}`);

test('all green: one reassuring sentence naming both last copies, two up-to-date cards', () => {
  useStore.setState({ status: status('green', [target('usb'), target('cloud')]) });
  render(<Dashboard />);
  const banner = screen.getByTestId('overall');
  assert.match(banner.textContent!, /Vos données sont protégées\./);
  assert.match(banner.textContent!, /Dernière copie : clé USB hier à 19\u00a0h\u00a032, cloud aujourd’hui à 19\u00a0h\u00a034\./);
  assert.ok(banner.className.includes('tone-ok'));
  for (const kind of ['usb', 'cloud'] as const) {
    assert.equal(card(kind).dataset.state, 'ok');
    assert.ok(within(card(kind)).getByText('À jour'));
    assert.equal(within(card(kind)).queryByText(/À faire/), null);
  }
  assert.ok(within(card('usb')).getByText(/il y a \d+ heures \(hier à 19 h 32\)/));
  assert.ok(within(card('usb')).getByText("aujourd’hui à 20 h 30"));
  assert.ok(within(card('usb')).getByText("réussie aujourd’hui à 19 h 35"));
  assert.ok(within(card('usb')).getByText('Place libre'));
  assert.ok(screen.getByRole('button', { name: 'Sauvegarder maintenant' }));
});

test('one copy stale (USB drive unplugged): orange, the exact action, the cloud card stays green', () => {
  const usb = target('usb', { state: 'absent', available: false, nextRunAt: null, lastSuccessAt: '2026-11-22T14:40:00.000Z' });
  useStore.setState({ status: status('orange', [usb, target('cloud')]) });
  render(<Dashboard />);
  assert.match(screen.getByTestId('overall').textContent!, /Attention : une copie n’est plus à jour\./);
  const u = within(card('usb'));
  assert.ok(u.getByText('Clé absente'));
  assert.ok(u.getByText('La clé USB « Sauvegarde Boutique » n’est pas branchée.'));
  assert.match(card('usb').textContent!, /À faire : Branchez la clé « Sauvegarde Boutique »\./);
  assert.ok(u.getByText('dès que la clé est branchée'));
  assert.equal(u.queryByText('Place libre'), null, 'no free space shown for a drive that is not there');
  assert.equal(card('cloud').dataset.state, 'ok');
});

test('stale without an error says how old the copy is and what to do', () => {
  useStore.setState({ status: status('orange', [target('usb', { state: 'stale', staleAfterHours: 36 }), target('cloud')]) });
  render(<Dashboard />);
  assert.ok(within(card('usb')).getByText('La dernière copie réussie date de plus de 36 heures.'));
  assert.ok(within(card('usb')).getByText('Lancez « Sauvegarder maintenant ».'));
});

test('one copy failing (cloud refuses the password): red, the plain sentence with the host, the action, a way to Settings', () => {
  const cloud = target('cloud', { state: 'failed', error: { code: 'AUTH_FAILED', message: 'PROPFIND -> 401' } });
  useStore.setState({ status: status('red', [target('usb'), cloud]) });
  render(<Dashboard />);
  assert.match(screen.getByTestId('overall').textContent!, /Problème : une copie de sauvegarde échoue\./);
  const c = within(card('cloud'));
  assert.ok(c.getByText('En échec'));
  assert.ok(c.getByText('Le serveur cloud.exemple.fr refuse le mot de passe.'));
  assert.match(card('cloud').textContent!, /Mettez à jour le mot de passe du cloud dans les Réglages\./);
  assert.ok(c.getByText('PROPFIND -> 401'), 'technical details are kept in a disclosure');
  assert.equal(card('usb').dataset.state, 'ok');
  fireEvent.click(c.getByRole('button', { name: 'Ouvrir les Réglages' }));
  assert.equal(useStore.getState().screen, 'settings');
});

test('running: live progress per copy (files, MB, speed, time left) and « Annuler » cancels through the API', async (t) => {
  const h = await connect({ cancelRun: () => ({ ok: true, value: true }), getStatus: () => ({ ok: true, value: status('green', []) }) });
  t.after(h.stop);
  const usb = target('usb', {
    state: 'running',
    progress: { phase: 'backing-up', filesDone: 1234, filesTotal: 5120, bytesDone: 812e6, bytesTotal: 2.41e9, bytesStored: 1, currentFile: 'Compta/factures.pdf', bytesPerSecond: 18.4e6, etaSeconds: 87 },
  });
  useStore.setState({ status: status('running', [usb, target('cloud')]) });
  render(<Dashboard />);
  const bar = within(card('usb')).getByRole('progressbar');
  assert.equal(bar.getAttribute('aria-valuenow'), '34');
  assert.match(card('usb').textContent!, /1\u202f234 fichiers sur 5\u202f120 · 812 Mo sur 2,4 Go · 18,4 Mo\/s · encore 1 min 27 s environ/);
  assert.equal(screen.queryByRole('button', { name: 'Sauvegarder maintenant' }), null);
  fireEvent.click(screen.getByRole('button', { name: 'Annuler' }));
  await until(() => h.server.calls.some((c) => c.method === 'cancelRun'));
  assert.deepEqual(h.server.calls.find((c) => c.method === 'cancelRun')!.payload, {});
});

test('« Sauvegarder maintenant » asks for a run and shows a refusal in plain words', async (t) => {
  const h = await connect({ backupNow: () => ({ ok: false, error: { code: 'ALREADY_RUNNING', message: 'busy' } }) });
  t.after(h.stop);
  useStore.setState({ status: status('green', [target('usb'), target('cloud')]) });
  render(<Dashboard />);
  fireEvent.click(screen.getByRole('button', { name: 'Sauvegarder maintenant' }));
  await screen.findByText('Une sauvegarde est déjà en cours.');
});

test('progress and status events pushed over the bridge update the cards live', async (t) => {
  const h = await connect({ getHistory: () => ({ ok: true, value: [] }) }, { sync: true });
  t.after(h.stop);
  useStore.setState({ status: status('green', [target('usb'), target('cloud')]) });
  render(<Dashboard />);
  await until(() => h.server.streams() === 1);
  const progress = { phase: 'backing-up' as const, filesDone: 10, filesTotal: 100, bytesDone: 1e6, bytesTotal: 1e7, bytesStored: 0, currentFile: null, bytesPerSecond: 0, etaSeconds: null };
  await act(async () => {
    h.server.push('progress', { targetId: 'cloud-1', kind: 'cloud', progress });
    await until(() => useStore.getState().status!.targets.some((x) => x.progress));
  });
  assert.equal(card('cloud').dataset.state, 'running');
  assert.equal(within(card('cloud')).getByRole('progressbar').getAttribute('aria-valuenow'), '10');
  await act(async () => {
    h.server.push('status', status('red', [target('usb'), target('cloud', { state: 'failed', error: { code: 'QUOTA_EXCEEDED', message: '507' } })]));
    await until(() => useStore.getState().status!.overall === 'red');
  });
  assert.ok(within(card('cloud')).getByText('Votre espace sur cloud.exemple.fr est plein.'));
});

test('a restore drill is proposed when due, and its result is shown', async (t) => {
  const h = await connect({ startDrill: () => ({ ok: true, value: { targetId: 'usb-1', ok: true, filesChecked: 20, filesMatching: 20, filesChangedSince: 0, mismatches: [] } }), getStatus: () => ({ ok: true, value: status('green', [target('usb')]) }) });
  t.after(h.stop);
  useStore.setState({ status: status('green', [target('usb', { drillDue: true }), target('cloud')]) });
  render(<Dashboard />);
  fireEvent.click(screen.getByRole('button', { name: 'Faire l’essai' }));
  fireEvent.change(screen.getByLabelText('Tapez la phrase secrète'), { target: { value: 'cheval agrafe batterie' } });
  fireEvent.click(screen.getByRole('button', { name: 'Faire l’essai' }));
  await screen.findByText('Essai réussi : 20 fichiers sur 20 relus à l’identique.');
  assert.deepEqual(h.server.calls.find((c) => c.method === 'startDrill')!.payload, { target: 'usb', secret: { passphrase: 'cheval agrafe batterie' } });
});

test('the recent history shows plain errors and skipped files', () => {
  useStore.setState({
    status: status('green', [target('usb'), target('cloud')]),
    history: [
      journalEntry({ outcome: 'failed', kind: 'cloud', targetId: 'cloud-1', error: { code: 'NETWORK_UNREACHABLE', message: 'ENOTFOUND' }, files: 0 }),
      journalEntry({ outcome: 'partial', skipped: [{ path: 'C:/caisse.lock', reason: 'locked' }] }),
    ],
  });
  render(<Dashboard />);
  const journal = within(screen.getByTestId('journal'));
  assert.ok(journal.getByText('Le serveur cloud.exemple.fr ne répond pas.'));
  assert.ok(journal.getByText('1 fichier ignoré'));
  assert.ok(journal.getByText('Réussie, avec fichiers ignorés'));
});

test('never configured: boot opens the setup wizard instead of the dashboard', async (t) => {
  const h = await connect({
    getSettings: () => ({ ok: true, value: null }),
    suggestSources: () => ({ ok: true, value: [{ path: '/home/boutique/Documents', kind: 'documents', name: 'Documents' }] }),
    listDrives: () => ({ ok: true, value: [] }),
  });
  t.after(h.stop);
  render(<App />);
  await act(() => useStore.getState().bootRequested());
  assert.equal(useStore.getState().screen, 'setup');
  assert.ok(screen.getByRole('heading', { name: 'Bienvenue dans Rempart' }));
  assert.equal(screen.queryByRole('navigation'), null);
  assert.ok(screen.getByRole('checkbox', { name: /Documents — \/home\/boutique\/Documents/ }));
});

test('when the status cannot be read, the dashboard says why and offers to retry', async (t) => {
  let calls = 0;
  const h = await connect({ getStatus: () => (++calls === 1 ? { ok: false, error: { code: 'REPOSITORY_LOCKED', message: 'lock held' } } : { ok: true, value: status('green', [target('usb'), target('cloud')]) }) });
  t.after(h.stop);
  render(<Dashboard />);
  await act(() => useStore.getState().statusRequested());
  assert.ok(screen.getByText('Une autre sauvegarde est en train d’écrire sur cette copie.'));
  fireEvent.click(screen.getByRole('button', { name: 'Réessayer' }));
  await screen.findByText('Vos données sont protégées.');
});

test('the language switch turns the whole UI to English', async () => {
  useStore.setState({ status: status('green', [target('usb'), target('cloud')]), settings: null, booted: true, screen: 'dashboard' });
  render(<App />);
  await act(() => useStore.getState().languageChosen('en'));
  assert.match(screen.getByTestId('overall').textContent!, /Your data is protected\.\s*Last copy: USB drive yesterday at 19:32, cloud today at 19:34\./);
  assert.ok(screen.getByRole('button', { name: 'Back up now' }));
  assert.equal(document.documentElement.lang, 'en');
});

test('an alert pushed while the window is open is shown until dismissed', async () => {
  useStore.setState({ status: status('orange', [target('usb', { state: 'stale' }), target('cloud')]), settings: null, booted: true, screen: 'dashboard' });
  render(<App />);
  act(() => useStore.getState().alertReceived({ at: '2026-11-24T18:00:00.000Z', targetId: 'usb-1', reason: 'stale', title: 'Clé USB en retard', body: 'Branchez la clé.' }));
  const toast = screen.getByTestId('alert-toast');
  assert.match(toast.textContent!, /Clé USB en retard.*Branchez la clé\./);
  fireEvent.click(within(toast).getByRole('button', { name: 'Fermer' }));
  assert.equal(screen.queryByTestId('alert-toast'), null);
});

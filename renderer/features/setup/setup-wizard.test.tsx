// @jsxRuntime automatic
import '../../test-support/dom.js';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useStore } from '../../store/index.js';
import { connect, resetAll, until, type Harness } from '../../test-support/harness.js';
import type { Handlers } from '../../test-support/contract-server.js';
import { SetupWizard } from './SetupWizard.js';
import { target } from '../../test-support/fixtures.js';

afterEach(resetAll);

const STRONG = 'cheval agrafe batterie correcte';
const handlers = (over: Handlers = {}): Handlers => ({
  suggestSources: () => ({ ok: true, value: [{ path: '/home/b/Documents', kind: 'documents', name: 'Documents' }, { path: '/opt/ebp', kind: 'accounting', name: 'EBP Compta' }] }),
  listDrives: () => ({ ok: true, value: [{ mountPath: '/media/KEY', label: 'KEY', freeBytes: 6e10, totalBytes: 6.4e10, enrolledTargetId: null }] }),
  testWebdav: () => ({ ok: true, value: { reachable: true, freeBytes: 812e9, hasRepository: false } }),
  completeSetup: () => ({ ok: true, value: { recoveryKey: 'RKEY-7XQ4-M2PA-9KD3', repoIds: ['a', 'b'] } }),
  getSettings: () => ({ ok: true, value: null }),
  backupNow: () => ({ ok: true, value: true }),
  getStatus: () => ({ ok: true, value: { now: '2026-11-24T18:40:00.000Z', timeZone: 'UTC', configured: true, overall: 'running', targets: [] } }),
  getHistory: () => ({ ok: true, value: [] }),
  ...over,
});

async function open(over?: Handlers): Promise<Harness> {
  const h = await connect(handlers(over));
  useStore.setState({ screen: 'setup', booted: true });
  render(<SetupWizard />);
  await act(() => useStore.getState().setupOpened());
  return h;
}
const next = () => fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

async function toPassphrase() {
  next(); // folders (suggestions are pre-ticked)
  fireEvent.click(screen.getByRole('radio', { name: /KEY/ }));
  type('Nom de la clé (écrit dessus, pour la reconnaître)', 'Sauvegarde Boutique');
  next();
  type('Adresse WebDAV', 'https://cloud.exemple.fr/dav/');
  type('Identifiant', 'boutique');
  type('Mot de passe d’application', 'app-pass');
  fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
  await screen.findByText('Connexion réussie. Place libre : 812 Go.');
  next();
  assert.ok(screen.getByRole('heading', { name: 'Choisissez une phrase secrète' }));
}

test('folders: suggestions are ticked; with none, Continue explains why it cannot go on', async (t) => {
  const h = await open();
  t.after(h.stop);
  assert.equal((screen.getByRole('checkbox', { name: /Documents — \/home\/b\/Documents/ }) as HTMLInputElement).checked, true);
  assert.ok(screen.getByRole('checkbox', { name: /EBP Compta — \/opt\/ebp/ }));
  fireEvent.click(screen.getByRole('checkbox', { name: /Documents/ }));
  fireEvent.click(screen.getByRole('checkbox', { name: /EBP/ }));
  next();
  assert.ok(screen.getByRole('alert').textContent!.includes('Choisissez au moins un dossier.'));
  assert.equal(useStore.getState().setup.step, 0);
  type('Autre dossier (chemin complet)', 'caisse');
  fireEvent.click(screen.getByRole('button', { name: 'Ajouter' }));
  assert.ok(screen.getByText(/Tapez le chemin complet du dossier/));
  type('Autre dossier (chemin complet)', '/srv/caisse');
  fireEvent.click(screen.getByRole('button', { name: 'Ajouter' }));
  assert.deepEqual(useStore.getState().setup.sources, ['/srv/caisse']);
  next();
  assert.equal(useStore.getState().setup.step, 1);
});

test('cloud: « Tester la connexion » shows a plain error, and Continue needs a successful test of these very values', async (t) => {
  const h = await open({ testWebdav: () => ({ ok: false, error: { code: 'AUTH_FAILED', message: '401' } }) });
  t.after(h.stop);
  next();
  fireEvent.click(screen.getByRole('button', { name: 'Passer cette étape' }));
  assert.equal(useStore.getState().setup.step, 2);
  type('Adresse WebDAV', 'http://cloud.exemple.fr/dav/');
  next();
  assert.match(screen.getByRole('alert').textContent!, /L’adresse doit commencer par https:\/\//);
  type('Adresse WebDAV', 'https://cloud.exemple.fr/dav/');
  fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
  await screen.findByText('Le serveur cloud.exemple.fr refuse le mot de passe.');
  next();
  assert.equal(useStore.getState().setup.step, 2);
  h.server.handlers.testWebdav = () => ({ ok: true, value: { reachable: true, freeBytes: 5e9, hasRepository: true } });
  fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }));
  await screen.findByText(/Connexion réussie\. Place libre : 5 Go\./);
  type('Mot de passe d’application', 'changed');
  next();
  assert.equal(useStore.getState().setup.step, 2, 'a changed password needs a new test');
  assert.match(screen.getAllByRole('alert').at(-1)!.textContent!, /Testez la connexion avant de continuer\./);
});

test('skipping both copies is refused', async (t) => {
  const h = await open();
  t.after(h.stop);
  next();
  fireEvent.click(screen.getByRole('button', { name: 'Passer cette étape' }));
  fireEvent.click(screen.getByRole('button', { name: 'Passer cette étape' }));
  assert.equal(useStore.getState().setup.step, 2);
  next();
  assert.match(screen.getByRole('alert').textContent!, /Il faut au moins une copie/);
});

test('passphrase: a weak one and a mismatch are refused before anything is created', async (t) => {
  const h = await open();
  t.after(h.stop);
  await toPassphrase();
  type('Phrase secrète', 'soleil123');
  type('Retapez la phrase secrète', 'soleil123');
  assert.match(screen.getByText(/^Solidité :/).textContent!, /Trop faible|Faible/);
  fireEvent.click(screen.getByRole('button', { name: 'Créer les sauvegardes' }));
  assert.match(screen.getByRole('alert').textContent!, /trop faible/);
  type('Phrase secrète', STRONG);
  type('Retapez la phrase secrète', `${STRONG}!`);
  assert.ok(screen.getAllByText('Les deux phrases ne sont pas identiques.').length >= 1);
  fireEvent.click(screen.getByRole('button', { name: 'Créer les sauvegardes' }));
  assert.match(screen.getAllByRole('alert').at(-1)!.textContent!, /pas identiques/);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.server.calls.filter((c) => c.method === 'completeSetup').length, 0);
});

test('a valid setup creates the copies, shows the recovery sheet (key + QR), requires the confirmation, then starts the first backup', async (t) => {
  const h = await open();
  t.after(h.stop);
  await toPassphrase();
  type('Phrase secrète', STRONG);
  type('Retapez la phrase secrète', STRONG);
  assert.match(screen.getByText(/^Solidité :/).textContent!, /Solide|Très solide|Correcte/);
  fireEvent.click(screen.getByRole('button', { name: 'Créer les sauvegardes' }));
  await screen.findByTestId('recovery-sheet');
  const sent = h.server.calls.find((c) => c.method === 'completeSetup')!.payload;
  assert.deepEqual(sent, {
    sources: ['/home/b/Documents', '/opt/ebp'],
    excludes: [],
    usb: { mountPath: '/media/KEY', label: 'Sauvegarde Boutique' },
    cloud: { url: 'https://cloud.exemple.fr/dav/', username: 'boutique', password: 'app-pass' },
    passphrase: STRONG,
    language: 'fr',
  });
  assert.equal(useStore.getState().setup.passphrase, '', 'the passphrase is not kept once used');
  assert.equal(screen.getByTestId('recovery-key').textContent, 'RKEY-7XQ4-M2PA-9KD3');
  const qr = await screen.findByRole('img', { name: 'QR code de la clé de secours' });
  assert.match(qr.getAttribute('src')!, /^data:image\/png;base64,/);
  assert.ok(screen.getByText('Clé USB « Sauvegarde Boutique »'));
  fireEvent.click(screen.getByRole('button', { name: 'Voir ma première sauvegarde' }));
  assert.match(screen.getByRole('alert').textContent!, /Cochez la case/);
  assert.equal(h.server.calls.filter((c) => c.method === 'backupNow').length, 0);
  fireEvent.click(screen.getByRole('checkbox', { name: 'J’ai imprimé ou enregistré cette feuille' }));
  fireEvent.click(screen.getByRole('button', { name: 'Voir ma première sauvegarde' }));
  await until(() => useStore.getState().screen === 'dashboard');
  assert.equal(h.server.calls.filter((c) => c.method === 'backupNow').length, 1);
  assert.equal(useStore.getState().setup.recoveryKey, null, 'the recovery key is forgotten after the sheet');
});

test('the first backup is not started twice when the host already started it', async (t) => {
  const h = await open({
    getStatus: () => ({ ok: true, value: { now: '2026-11-24T18:40:00.000Z', timeZone: 'UTC', configured: true, overall: 'running', targets: [{ ...target('usb'), state: 'running', lastRunAt: null }] } }),
  });
  t.after(h.stop);
  await toPassphrase();
  type('Phrase secrète', STRONG);
  type('Retapez la phrase secrète', STRONG);
  fireEvent.click(screen.getByRole('button', { name: 'Créer les sauvegardes' }));
  await screen.findByTestId('recovery-sheet');
  fireEvent.click(screen.getByRole('checkbox', { name: 'J’ai imprimé ou enregistré cette feuille' }));
  fireEvent.click(screen.getByRole('button', { name: 'Voir ma première sauvegarde' }));
  await until(() => useStore.getState().screen === 'dashboard');
  assert.equal(h.server.calls.filter((c) => c.method === 'backupNow').length, 0);
});

test('a refused setup keeps the wizard open with the plain reason', async (t) => {
  const h = await open({ completeSetup: () => ({ ok: false, error: { code: 'DRIVE_NOT_ENROLLED', message: 'x', details: { label: 'KEY' } } }) });
  t.after(h.stop);
  await toPassphrase();
  type('Phrase secrète', STRONG);
  type('Retapez la phrase secrète', STRONG);
  fireEvent.click(screen.getByRole('button', { name: 'Créer les sauvegardes' }));
  await screen.findByText('Cette clé USB n’est pas celle choisie pour les sauvegardes.');
  assert.equal(useStore.getState().setup.step, 3);
});

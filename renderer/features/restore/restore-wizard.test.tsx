// @jsxRuntime automatic
import '../../test-support/dom.js';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { RestoreFileDto, RestorePointDto } from '../../../electron/contract/api.js';
import { useStore } from '../../store/index.js';
import type { Handlers } from '../../test-support/contract-server.js';
import { status, target } from '../../test-support/fixtures.js';
import { connect, resetAll, until, type Harness } from '../../test-support/harness.js';
import { RestoreWizard } from './RestoreWizard.js';
import { App } from '../app/App.js';

afterEach(resetAll);

const points: RestorePointDto[] = [
  { snapshotId: 'p-old', time: '2026-11-23T18:32:00.000Z', host: 'CAISSE', files: 1200, totalBytes: 5e8, copies: ['usb', 'cloud'] },
  { snapshotId: 'p-new', time: '2026-11-24T16:10:00.000Z', host: 'CAISSE', files: 1234, totalBytes: 5.1e8, copies: ['cloud'] },
];
const files: RestoreFileDto[] = [
  { path: '/home/b/Documents', type: 'dir', size: 0, mtime: '2026-11-20T10:00:00.000Z' },
  { path: '/home/b/Documents/Compta', type: 'dir', size: 0, mtime: '2026-11-20T10:00:00.000Z' },
  { path: '/home/b/Documents/Compta/factures.pdf', type: 'file', size: 482_133, mtime: '2026-11-22T10:00:00.000Z' },
  { path: '/home/b/Documents/Compta/grand-livre.xlsx', type: 'file', size: 1_833_221, mtime: '2026-11-21T10:00:00.000Z' },
  { path: '/home/b/Documents/tarifs.docx', type: 'file', size: 88_012, mtime: '2026-11-12T10:00:00.000Z' },
];
const result = { filesRestored: 1234, bytesRestored: 5e8, keptAside: [{ path: '/home/b/Documents/tarifs.docx', keptAs: '/home/b/Documents/tarifs (avant restauration).docx' }], unchanged: 2, errors: [], targetFolder: '/home/b/Documents' };

const handlers = (over: Handlers = {}): Handlers => ({
  openRestoreSource: () => ({ ok: true, value: { sessionId: 's1' } }),
  listRestorePoints: () => ({ ok: true, value: points }),
  listRestoreFiles: () => ({ ok: true, value: files }),
  startRestore: () => ({ ok: true, value: result }),
  openPath: () => ({ ok: true, value: true }),
  ...over,
});

async function open(over?: Handlers): Promise<Harness> {
  const h = await connect(handlers(over));
  useStore.setState({ screen: 'restore', status: status('green', [target('usb'), target('cloud')]) });
  render(<RestoreWizard />);
  return h;
}
const next = () => fireEvent.click(within(document.querySelector('.wizard-nav') as HTMLElement).getAllByRole('button').at(-1)!);
const step = () => useStore.getState().restore.step;
const payload = (h: Harness, method: string) => h.server.calls.find((c) => c.method === method)?.payload;

test('the whole way: USB → a date → some files → a chosen folder → passphrase → « 1 234 fichiers restaurés et vérifiés » → open the folder', async (t) => {
  const h = await open();
  t.after(h.stop);
  assert.ok(screen.getByRole('radio', { name: /La clé USB.*Sauvegarde Boutique/ }));
  next();
  await until(() => step() === 1);
  assert.deepEqual(payload(h, 'openRestoreSource'), { from: { kind: 'usb' } });

  assert.equal(document.activeElement?.textContent, 'Quelle date ?', 'focus moves to the new step for keyboard and screen-reader users');
  // 2: points grouped by day (newest first), with the copies that hold each
  const days = screen.getAllByRole('group').map((g) => g.querySelector('legend')!.textContent);
  assert.deepEqual(days, ["aujourd’hui", 'hier']);
  assert.ok(screen.getByText('présent sur : cloud'));
  assert.ok(screen.getByText('présent sur : clé USB, cloud'));
  next();
  assert.equal(step(), 1, 'a date must be chosen');
  fireEvent.click(screen.getByRole('radio', { name: /19\u00a0h\u00a032 · 1\u202f200 fichiers/ }));
  next();
  assert.equal(step(), 2);

  // 3: browse and pick
  fireEvent.click(screen.getByRole('radio', { name: 'Certains fichiers ou dossiers' }));
  await screen.findByRole('table');
  assert.deepEqual(payload(h, 'listRestoreFiles'), { sessionId: 's1', snapshotId: 'p-old' });
  next();
  assert.match(screen.getAllByRole('alert').at(-1)!.textContent!, /Choisissez au moins un fichier/);
  fireEvent.click(screen.getByRole('button', { name: 'Documents' }));
  fireEvent.click(screen.getByRole('button', { name: 'Compta' }));
  const row = screen.getByText('factures.pdf').closest('tr')!;
  assert.match(row.textContent!, /482 ko/);
  fireEvent.click(within(row).getByRole('checkbox'));
  fireEvent.change(screen.getByLabelText('Rechercher un fichier ou un dossier'), { target: { value: 'TARIF' } });
  assert.ok(screen.getByText('/home/b/Documents/tarifs.docx', { selector: 'span' }));
  fireEvent.click(screen.getByRole('checkbox', { name: '/home/b/Documents/tarifs.docx' }));
  assert.ok(screen.getByText('2 éléments choisis'));
  next();

  // 4: where to
  assert.ok(screen.getByText(/mis de côté \(renommés\), jamais effacés/));
  fireEvent.click(screen.getByRole('radio', { name: /Dans un autre dossier/ }));
  next();
  assert.equal(step(), 3, 'a folder path is needed');
  fireEvent.change(screen.getByLabelText('Chemin du dossier'), { target: { value: '/tmp/restored' } });
  next();

  // 5: secret
  next();
  assert.equal(step(), 4);
  fireEvent.change(screen.getByLabelText('Tapez la phrase secrète'), { target: { value: 'cheval agrafe' } });
  next();
  await screen.findByTestId('restore-summary');
  assert.deepEqual(payload(h, 'startRestore'), {
    sessionId: 's1', snapshotId: 'p-old', include: ['/home/b/Documents/Compta/factures.pdf', '/home/b/Documents/tarifs.docx'],
    target: { kind: 'folder', path: '/tmp/restored' }, secret: { passphrase: 'cheval agrafe' },
  });
  assert.ok(screen.getByText(/^1.234 fichiers restaurés et vérifiés\.$/));
  assert.equal(useStore.getState().restore.secret, '', 'the secret is forgotten after the restore');
  fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le dossier' }));
  await until(() => payload(h, 'openPath') !== undefined);
  assert.deepEqual(payload(h, 'openPath'), { path: '/home/b/Documents' });
});

test('another drive on a new computer needs the recovery key up front and sends it with the folder', async (t) => {
  const h = await open();
  t.after(h.stop);
  fireEvent.click(screen.getByRole('radio', { name: /Une autre clé ou un autre serveur/ }));
  fireEvent.change(screen.getByLabelText('Chemin de la clé ou du dossier'), { target: { value: '/media/OLD' } });
  next();
  assert.equal(step(), 0);
  assert.match(screen.getAllByRole('alert').at(-1)!.textContent!, /Tapez la phrase secrète ou la clé de secours/);
  fireEvent.click(screen.getByRole('radio', { name: 'Clé de secours' }));
  fireEvent.change(screen.getByLabelText('Tapez la clé de secours'), { target: { value: '  RKEY-1234  ' } });
  next();
  await until(() => step() === 1);
  assert.deepEqual(payload(h, 'openRestoreSource'), { from: { kind: 'folder', path: '/media/OLD' }, secret: { recoveryKey: 'RKEY-1234' } });
});

test('a source that cannot be opened stays on step 1 with the plain reason', async (t) => {
  const h = await open({ openRestoreSource: () => ({ ok: false, error: { code: 'DRIVE_NOT_PLUGGED', message: 'absent', details: { label: 'Sauvegarde Boutique' } } }) });
  t.after(h.stop);
  next();
  await screen.findByText('La clé USB « Sauvegarde Boutique » n’est pas branchée.');
  assert.equal(step(), 0);
});

test('a wrong passphrase: the restore ends with the plain reason and a way back to the passphrase', async (t) => {
  const h = await open({ startRestore: () => ({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'no identity matched' } }) });
  t.after(h.stop);
  next();
  await until(() => step() === 1);
  fireEvent.click(screen.getAllByRole('radio')[0]);
  next(); next(); next();
  fireEvent.change(screen.getByLabelText('Tapez la phrase secrète'), { target: { value: 'faux' } });
  next();
  await screen.findByText('La phrase secrète ou la clé de secours ne correspond pas.');
  assert.deepEqual((payload(h, 'startRestore') as { include: string[] }).include, [], 'everything = empty include');
  fireEvent.click(screen.getByRole('button', { name: 'Retour' }));
  assert.equal(step(), 4);
});

test('restore progress events show a progress bar while it runs', async (t) => {
  let finish!: () => void;
  const h = await open({ startRestore: () => new Promise((resolve) => { finish = () => resolve({ ok: true, value: result }); }) });
  t.after(h.stop);
  act(() => useStore.getState().restoreChanged({ step: 4, sessionId: 's1', snapshotId: 'p-new', secret: 'x' }));
  await act(async () => {
    next();
    await until(() => useStore.getState().restore.busy);
  });
  act(() => useStore.getState().restoreProgressReceived({ sessionId: 's1', filesDone: 10, filesTotal: 40, bytesDone: 25, bytesTotal: 100, currentFile: '/a' }));
  assert.equal(screen.getByRole('progressbar').getAttribute('aria-valuenow'), '25');
  assert.ok(screen.getByText('10 fichiers sur 40'));
  await until(() => typeof finish === 'function');
  finish();
  await screen.findByTestId('restore-summary');
});

test('on a new computer (no settings yet) the setup wizard leads to a restore from another drive, and back', async (t) => {
  const h = await connect(handlers({
    getSettings: () => ({ ok: true, value: null }),
    suggestSources: () => ({ ok: true, value: [] }),
    listDrives: () => ({ ok: true, value: [] }),
  }));
  t.after(h.stop);
  render(<App />);
  await act(() => useStore.getState().bootRequested());
  fireEvent.click(screen.getByRole('button', { name: /J’ai déjà des sauvegardes : restaurer mes fichiers/ }));
  assert.equal(useStore.getState().screen, 'restore');
  assert.equal(screen.queryByRole('navigation'), null, 'no dashboard to go to before a setup');
  assert.equal((screen.getByRole('radio', { name: /La clé USB/ }) as HTMLInputElement).disabled, true);
  assert.equal((screen.getByRole('radio', { name: /Une autre clé ou un autre serveur/ }) as HTMLInputElement).checked, true);
  fireEvent.change(screen.getByLabelText('Chemin de la clé ou du dossier'), { target: { value: '/media/OLD' } });
  fireEvent.click(screen.getByRole('radio', { name: 'Clé de secours' }));
  fireEvent.change(screen.getByLabelText('Tapez la clé de secours'), { target: { value: 'RKEY-1' } });
  next();
  await until(() => step() === 1);
  assert.deepEqual(payload(h, 'openRestoreSource'), { from: { kind: 'folder', path: '/media/OLD' }, secret: { recoveryKey: 'RKEY-1' } });
  fireEvent.click(screen.getByRole('button', { name: 'Retour à la mise en route' }));
  assert.equal(useStore.getState().screen, 'setup');
});

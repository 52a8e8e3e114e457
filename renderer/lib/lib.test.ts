import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RestoreFileDto, Schedule } from '../../electron/contract/api.js';
import { translator } from '../i18n/use-t.js';
import { childrenOf, indexFiles, nameOf, parentOf, searchFiles, sizeOf } from './file-tree.js';
import { MIN_STRENGTH, passphraseProblem, passphraseStrength } from './passphrase.js';
import { scheduleProblem, scheduleSummary } from './schedule-text.js';
import { isAbsolutePath } from './paths.js';
import { isAcceptableWebdavUrl } from './webdav-url.js';

const fr = translator('fr');
const en = translator('en');

test('passphrase strength: short, common, repetitive and sequential phrases are weak; several words or varied characters pass', () => {
  for (const weak of ['', 'abc', 'cheval agrafe', 'soleil123', 'motdepasse', 'password', 'azertyazerty', 'aaaaaaaaaaaa', 'abcdefghij', '12345678']) {
    assert.ok(passphraseStrength(weak) < MIN_STRENGTH, `${weak} should be weak`);
  }
  for (const ok of ['cheval agrafe batterie correcte', 'Boulangerie-Martin-1987!', 'x7#Qp2m!Lz9v']) {
    assert.ok(passphraseStrength(ok) >= MIN_STRENGTH, `${ok} should pass`);
  }
  assert.ok(passphraseStrength('cheval agrafe batterie correcte soleil levant') > passphraseStrength('cheval agrafe'));
});

test('passphrase problem: weakness first, then the mismatch, then none', () => {
  assert.equal(passphraseProblem('court', 'court'), 'weak');
  assert.equal(passphraseProblem('cheval agrafe batterie correcte', 'cheval agrafe batterie'), 'mismatch');
  assert.equal(passphraseProblem('cheval agrafe batterie correcte', 'cheval agrafe batterie correcte'), null);
});

test('schedules in plain French and English', () => {
  const daily: Schedule = { kind: 'daily', time: '19:30', days: [] };
  assert.equal(scheduleSummary(daily, fr), 'tous les jours à 19 h 30');
  assert.equal(scheduleSummary(daily, en), 'every day at 19:30');
  assert.equal(scheduleSummary({ kind: 'daily', time: '08:05', days: [1, 2, 3, 4, 5] }, fr), 'à 8 h 05, du lundi au vendredi');
  assert.equal(scheduleSummary({ kind: 'hourly', from: 9, to: 19, minute: 0, days: [1, 2, 3, 4, 5, 6] }, fr), 'toutes les heures de 9 h à 19 h, du lundi au samedi');
  assert.equal(scheduleSummary({ kind: 'hourly', from: 9, to: 19, minute: 0, days: [] }, fr), 'toutes les heures de 9 h à 19 h');
  assert.equal(scheduleSummary({ kind: 'daily', time: '12:00', days: [5, 1, 3] }, fr), 'à 12 h 00, lundi, mercredi, vendredi');
  assert.equal(scheduleSummary({ kind: 'cron', expression: '0 */2 * * *' }, fr), 'selon l’expression « 0 */2 * * * »');
});

test('schedule checks', () => {
  assert.equal(scheduleProblem({ kind: 'daily', time: '19:30', days: [] }), null);
  assert.equal(scheduleProblem({ kind: 'daily', time: '25:00', days: [] }), 'settings.schedule.invalidTime');
  assert.equal(scheduleProblem({ kind: 'hourly', from: 19, to: 9, minute: 0, days: [] }), 'settings.schedule.invalidRange');
  assert.equal(scheduleProblem({ kind: 'cron', expression: '0 19 * *' }), 'settings.schedule.invalidTime');
  assert.equal(scheduleProblem({ kind: 'cron', expression: '0 19 * * 1-6' }), null);
});

const files: RestoreFileDto[] = [
  { path: '/home/b/Documents', type: 'dir', size: 0, mtime: '' },
  { path: '/home/b/Documents/Été', type: 'dir', size: 0, mtime: '' },
  { path: '/home/b/Documents/Été/Facture 12.pdf', type: 'file', size: 100, mtime: '' },
  { path: '/home/b/Documents/Été/devis.pdf', type: 'file', size: 50, mtime: '' },
  { path: '/home/b/Documents/a.txt', type: 'file', size: 7, mtime: '' },
  { path: 'C:\\EBP\\Dossiers', type: 'dir', size: 0, mtime: '' },
  { path: 'C:\\EBP\\Dossiers\\BOUTIQUE.ebp', type: 'file', size: 9, mtime: '' },
];

test('file tree: roots, children (folders first), names and parents with / or \\', () => {
  assert.deepEqual(childrenOf(files, null).map((f) => f.path), ['/home/b/Documents', 'C:\\EBP\\Dossiers']);
  assert.deepEqual(childrenOf(files, '/home/b/Documents').map((f) => nameOf(f.path)), ['Été', 'a.txt']);
  assert.deepEqual(childrenOf(files, 'C:\\EBP\\Dossiers').map((f) => nameOf(f.path)), ['BOUTIQUE.ebp']);
  assert.equal(parentOf('/home/b'), '/home');
  assert.equal(parentOf('/home'), '/');
  assert.equal(parentOf('C:\\EBP\\Dossiers'), 'C:\\EBP');
});

test('file search ignores case and accents and needs every word; folder sizes add up', () => {
  assert.deepEqual(searchFiles(files, 'ete').map((f) => f.path), ['/home/b/Documents/Été']);
  assert.deepEqual(searchFiles(files, 'FACTURE 12').map((f) => nameOf(f.path)), ['Facture 12.pdf']);
  assert.deepEqual(searchFiles(files, '   '), []);
  assert.equal(sizeOf(files, files[0]), 157);
  assert.equal(sizeOf(files, files[1]), 150);
  assert.equal(sizeOf(files, files[4]), 7);
});

test('WebDAV addresses: https, or http only to this computer', () => {
  assert.ok(isAcceptableWebdavUrl('https://cloud.exemple.fr/dav/'));
  assert.ok(isAcceptableWebdavUrl('http://127.0.0.1:8080/dav/'));
  assert.ok(!isAcceptableWebdavUrl('http://cloud.exemple.fr/dav/'));
  assert.ok(!isAcceptableWebdavUrl('cloud.exemple.fr'));
  assert.ok(!isAcceptableWebdavUrl('ftp://x/'));
});

test('typed folder paths must be complete', () => {
  for (const ok of ['/home/b', 'C:\\Users\\B', 'd:/x', '\\\\server\\share']) assert.ok(isAbsolutePath(ok), ok);
  for (const bad of ['Documents', './x', 'C:', '~/x', '']) assert.ok(!isAbsolutePath(bad), bad);
});

test('the file index gives the same children and folder sizes as the simple functions, and handles a large list (20 000 entries)', () => {
  const index = indexFiles(files);
  for (const dir of [null, '/home/b/Documents', '/home/b/Documents/Été', 'C:\\EBP\\Dossiers']) {
    assert.deepEqual(index.children(dir), childrenOf(files, dir));
  }
  for (const f of files) assert.equal(index.size(f), sizeOf(files, f), f.path);
  const many: RestoreFileDto[] = [{ path: '/s', type: 'dir', size: 0, mtime: '' }];
  for (let d = 0; d < 20; d++) {
    many.push({ path: `/s/d${d}`, type: 'dir', size: 0, mtime: '' });
    for (let i = 0; i < 1000; i++) many.push({ path: `/s/d${d}/f${i}.txt`, type: 'file', size: 2, mtime: '' });
  }
  const big = indexFiles(many);
  assert.equal(big.size(many[0]), 40_000);
  assert.equal(big.children("/s").length, 20);
  assert.equal(big.children('/s/d7').length, 1000);
});

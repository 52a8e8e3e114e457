import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../i18n/use-t.js';
import { status, target } from '../test-support/fixtures.js';
import { headline, lastCopiesSentence, targetProblem, withBothCopies } from './status-text.js';

const fr = translator('fr');

test('headline follows the overall level; both copies wrong says so', () => {
  assert.equal(headline(status('green', [target('usb'), target('cloud')]), fr), 'Vos données sont protégées.');
  assert.equal(headline(status('orange', [target('usb', { state: 'stale' }), target('cloud')]), fr), 'Attention : une copie n’est plus à jour.');
  assert.equal(headline(status('orange', [target('usb', { state: 'stale' }), target('cloud', { state: 'absent' })]), fr), 'Attention : aucune des deux copies n’est à jour.');
  assert.equal(headline(status('setup', []), fr), 'Rempart n’est pas encore réglé.');
});

test('last copies sentence lists only copies that have one', () => {
  assert.equal(lastCopiesSentence(status('green', [target('usb'), target('cloud')]), fr), "Dernière copie : clé USB hier à 19\u00a0h\u00a032, cloud aujourd’hui à 19\u00a0h\u00a034.");
  assert.equal(lastCopiesSentence(status('orange', [target('usb', { lastSuccessAt: null }), target('cloud')]), fr), "Dernière copie : cloud aujourd’hui à 19\u00a0h\u00a034.");
  assert.equal(lastCopiesSentence(status('orange', [target('usb', { lastSuccessAt: null, state: 'never' })]), fr), 'Aucune copie n’a encore été faite.');
});

test('each wrong state gives a sentence and an exact action', () => {
  assert.equal(targetProblem(target('usb'), fr), null);
  assert.deepEqual(targetProblem(target('usb', { state: 'absent' }), fr), {
    sentence: 'La clé USB « Sauvegarde Boutique » n’est pas branchée.',
    action: 'Branchez la clé « Sauvegarde Boutique ».',
  });
  const disk = targetProblem(target('usb', { state: 'failed', error: { code: 'DISK_FULL', message: 'ENOSPC' } }), fr)!;
  assert.equal(disk.sentence, 'La clé USB « Sauvegarde Boutique » est pleine.');
  assert.equal(disk.technical, 'ENOSPC');
  const cloudHost = targetProblem(target('cloud', { label: 'https://dav.exemple.fr/remote/', state: 'failed', error: { code: 'TLS_ERROR', message: 'x' } }), fr)!;
  assert.equal(cloudHost.sentence, 'La connexion sécurisée avec dav.exemple.fr n’est pas fiable (certificat).');
  assert.equal(targetProblem(target('cloud', { state: 'never' }), fr)!.action, 'Lancez « Sauvegarder maintenant ».');
  assert.match(targetProblem(target('cloud', { state: 'unconfigured' }), fr)!.sentence, /n’est pas en place/);
  // An unknown failure still gives the user something to do.
  assert.ok(targetProblem(target('cloud', { state: 'failed' }), fr)!.action.length > 0);
});

test('a copy that was never set up is shown as not in place, and the headline says only one copy protects', () => {
  const s = status('orange', [target('usb')]);
  assert.equal(headline(s, fr), 'Attention : une seule copie protège vos données.');
  const both = withBothCopies(s);
  assert.deepEqual(both.map((t) => [t.kind, t.state]), [['usb', 'ok'], ['cloud', 'unconfigured']]);
  assert.match(targetProblem(both[1], fr)!.sentence, /qu’une seule copie/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusDto, TargetStatusDto } from '../contract/api.js';
import { trayIconName, trayModel } from './tray-model.js';

const target = (over: Partial<TargetStatusDto>): TargetStatusDto => ({
  id: 'usb', kind: 'usb', label: 'Sauvegarde Boutique', state: 'ok', lastSuccessAt: null, lastRunAt: null, nextRunAt: null,
  staleAfterHours: 48, lastVerification: null, lastDrill: null, error: null, progress: null, snapshotCount: 1,
  freeBytes: null, available: true, drillDue: false, ...over,
});
const NOW = '2026-11-24T18:00:00Z';
const status = (overall: StatusDto['overall'], targets: TargetStatusDto[], configured = true): StatusDto => ({
  now: NOW, timeZone: 'Europe/Paris', configured, overall, targets,
});

test('icon follows the overall level', () => {
  assert.equal(trayIconName('green'), 'ok');
  assert.equal(trayIconName('orange'), 'warn');
  assert.equal(trayIconName('red'), 'error');
  assert.equal(trayIconName('running'), 'running');
  assert.equal(trayIconName('setup'), 'warn');
  assert.equal(trayIconName(null), 'warn');
});

test('menu: status line, age of each copy, then the three actions (French)', () => {
  const m = trayModel(
    status('orange', [
      target({ state: 'stale', lastSuccessAt: '2026-11-21T18:00:00Z' }),
      target({ id: 'cloud', kind: 'cloud', label: 'cloud.example.fr', lastSuccessAt: '2026-11-24T15:00:00Z' }),
    ]),
    'fr',
  );
  assert.equal(m.icon, 'warn');
  assert.deepEqual(
    m.items.map((i) => i.label),
    [
      'Attention : une copie n\u2019est plus à jour.',
      'Clé USB : dernière copie il y a 3 jours',
      'Cloud : dernière copie il y a 3 heures',
      'Sauvegarder maintenant',
      'Ouvrir Rempart',
      'Quitter',
    ],
  );
  assert.deepEqual(m.items.map((i) => i.action ?? null), [null, null, null, 'backupNow', 'open', 'quit']);
  assert.equal(m.items[0]!.enabled, false);
  assert.equal(m.items[3]!.enabled, true);
  assert.match(m.tooltip, /^Rempart — Attention/);
});

test('while running: running icon, running line, backup disabled', () => {
  const m = trayModel(status('running', [target({ state: 'running' }), target({ kind: 'cloud', state: 'never' })]), 'fr');
  assert.equal(m.icon, 'running');
  assert.equal(m.items[1]!.label, 'Clé USB : copie en cours…');
  assert.equal(m.items[2]!.label, 'Cloud : aucune copie pour l\u2019instant');
  assert.equal(m.items.find((i) => i.action === 'backupNow')!.enabled, false);
});

test('before setup / before the first status: no copy lines, backup disabled; English available', () => {
  const m = trayModel(status('setup', [target({ state: 'unconfigured' })], false), 'en');
  assert.deepEqual(m.items.map((i) => i.label).slice(1), ['Back up now', 'Open Rempart', 'Quit']);
  assert.match(m.items[0]!.label, /not set up/i);
  assert.equal(m.items.find((i) => i.action === 'backupNow')!.enabled, false);
  const boot = trayModel(null, 'fr');
  assert.equal(boot.items[0]!.label, 'Rempart démarre…');
  assert.equal(boot.icon, 'warn');
});

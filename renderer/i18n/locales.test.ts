import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CODES } from '../../electron/contract/errors.js';
import { ERROR_TEXTS, STRINGS, errorText, formatAge, formatBytes, formatDayTime, formatDuration, formatTime, t, tn } from '../../locales/index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every French key exists in English and vice versa, none empty, with the same placeholders', () => {
  const fr = Object.keys(STRINGS.fr).sort();
  const en = Object.keys(STRINGS.en).sort();
  assert.deepEqual(en, fr);
  for (const key of fr) {
    const k = key as keyof typeof STRINGS.fr;
    assert.ok(STRINGS.fr[k].trim(), `fr ${key} empty`);
    assert.ok(STRINGS.en[k].trim(), `en ${key} empty`);
    assert.deepEqual(placeholders(STRINGS.en[k]), placeholders(STRINGS.fr[k]), `placeholders differ for ${key}`);
  }
});

test('every ErrorCode has a sentence and an action in both languages, with matching placeholders', () => {
  for (const lang of ['fr', 'en'] as const) {
    assert.deepEqual(Object.keys(ERROR_TEXTS[lang]).sort(), [...ERROR_CODES].sort(), lang);
    for (const code of ERROR_CODES) {
      const e = ERROR_TEXTS[lang][code];
      assert.ok(e.sentence.trim().length > 10, `${lang} ${code} sentence`);
      assert.ok(e.action.trim().length > 5, `${lang} ${code} action`);
    }
  }
  for (const code of ERROR_CODES) {
    const fr = ERROR_TEXTS.fr[code];
    const en = ERROR_TEXTS.en[code];
    assert.deepEqual(placeholders(en.sentence + en.action), placeholders(fr.sentence + fr.action), code);
  }
});

test('plain words only: no "snapshot" or "repository" in what the shopkeeper reads', () => {
  const all = [...Object.values(STRINGS.fr), ...Object.values(ERROR_TEXTS.fr).flatMap((e) => [e.sentence, e.action])].join('\n');
  assert.doesNotMatch(all, /snapshot|repository|dépôt|repo\b/i);
  const allEn = [...Object.values(STRINGS.en), ...Object.values(ERROR_TEXTS.en).flatMap((e) => [e.sentence, e.action])].join('\n');
  assert.doesNotMatch(allEn, /snapshot|repository/i);
});

test('errorText fills details; the drive sentence names the drive', () => {
  assert.deepEqual(errorText('fr', 'DRIVE_NOT_PLUGGED', { label: 'Sauvegarde Boutique' }), {
    sentence: 'La clé USB « Sauvegarde Boutique » n’est pas branchée.',
    action: 'Branchez la clé « Sauvegarde Boutique ».',
  });
  assert.match(errorText('fr', 'AUTH_FAILED', { host: 'cloud.exemple.fr' }).action, /Mettez à jour le mot de passe du cloud dans les Réglages/);
  assert.equal(t('fr', 'overall.lastCopies', { list: 'x' }), 'Dernière copie : x.');
  // A missing value stays visible rather than silently empty.
  assert.match(errorText('en', 'SOURCE_MISSING').sentence, /\{path\}/);
});

test('plurals: French 0 and 1 are singular, English only 1', () => {
  assert.equal(tn('fr', 'common.files', 1), '1 fichier');
  assert.equal(tn('fr', 'common.files', 0), '0 fichier');
  assert.equal(tn('fr', 'common.files', 1234), '1\u202f234 fichiers');
  assert.equal(tn('en', 'common.files', 0), '0 files');
  assert.equal(tn('en', 'common.files', 1), '1 file');
});

test('French dates: « hier à 19 h 32 », « aujourd\'hui à 19 h 34 » in the given time zone', () => {
  const now = '2026-11-24T18:40:00.000Z'; // 19 h 40 in Paris
  assert.equal(formatDayTime('2026-11-23T18:32:00.000Z', now, 'fr', 'Europe/Paris'), 'hier à 19\u00a0h\u00a032');
  assert.equal(formatDayTime('2026-11-24T18:34:00.000Z', now, 'fr', 'Europe/Paris'), "aujourd’hui à 19\u00a0h\u00a034");
  assert.equal(formatDayTime('2026-11-25T08:05:00.000Z', now, 'fr', 'Europe/Paris'), 'demain à 9\u00a0h\u00a005');
  assert.equal(formatDayTime('2026-11-20T08:05:00.000Z', now, 'fr', 'Europe/Paris'), 'vendredi 20 novembre à 9\u00a0h\u00a005');
  assert.equal(formatDayTime('2025-11-20T08:05:00.000Z', now, 'fr', 'Europe/Paris'), 'jeudi 20 novembre 2025 à 9\u00a0h\u00a005');
  assert.equal(formatDayTime('2026-11-23T18:32:00.000Z', now, 'en', 'Europe/Paris'), 'yesterday at 19:32');
  // The day boundary follows the shop's time zone, not UTC: 23:30 UTC on the 23rd is already the 24th in Paris.
  assert.equal(formatDayTime('2026-11-23T23:30:00.000Z', now, 'fr', 'Europe/Paris'), "aujourd’hui à 0\u00a0h\u00a030");
  assert.equal(formatTime('2026-11-24T18:34:00.000Z', 'fr', 'America/New_York'), '13\u00a0h\u00a034');
});

test('sizes, durations and ages', () => {
  assert.equal(formatBytes(0, 'fr'), '0 o');
  assert.equal(formatBytes(1_234_567_890, 'fr'), '1,2 Go');
  assert.equal(formatBytes(812e9, 'fr'), '812 Go');
  assert.equal(formatBytes(1_234_567_890, 'en'), '1.2 GB');
  assert.equal(formatDuration(87, 'fr'), '1 min 27 s');
  assert.equal(formatDuration(3900, 'fr'), '1 h 05 min');
  assert.equal(formatDuration(5, 'fr'), '5 s');
  assert.equal(formatDuration(3 * 86400 + 4 * 3600, 'fr'), '3 j 4 h');
  assert.equal(formatAge('2026-11-24T15:40:00.000Z', '2026-11-24T18:40:00.000Z', 'fr'), 'il y a 3 heures');
  assert.equal(formatAge('2026-11-21T18:40:00.000Z', '2026-11-24T18:40:00.000Z', 'fr'), 'il y a 3 jours');
});

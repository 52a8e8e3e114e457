import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntryDto } from '../../contract/api.js';
import { buildMonthlyReport } from './monthly-report.js';

function entry(kind: 'usb' | 'cloud', startedAt: string, outcome: JournalEntryDto['outcome'], trigger: JournalEntryDto['trigger'] = 'schedule'): JournalEntryDto {
  return {
    runId: `${kind}${startedAt}`, targetId: kind, kind, trigger, startedAt, endedAt: startedAt, outcome, files: 20, bytesRead: 1, bytesStored: 1,
    snapshotId: null, skipped: [], error: outcome === 'failed' ? { code: 'NETWORK_UNREACHABLE', message: 'server <down>' } : null,
    verification: trigger === 'drill' ? { at: startedAt, kind: 'drill', ok: outcome === 'success', detail: '20/20 files identical' } : { at: startedAt, kind: 'after-run', ok: true },
  };
}

test('the monthly report lists each day of the month for both copies and the drills, from the journal', () => {
  const entries = [
    entry('usb', '2026-11-03T18:30:00Z', 'success'),
    entry('cloud', '2026-11-03T18:30:00Z', 'failed'),
    entry('cloud', '2026-11-03T20:00:00Z', 'success'),
    entry('cloud', '2026-11-30T22:59:00Z', 'success'), // 23:59 in Paris: still November
    entry('cloud', '2026-11-30T23:01:00Z', 'success'), // 00:01 on 1 December in Paris: not listed
    entry('usb', '2026-11-15T09:00:00Z', 'success', 'drill'),
    entry('usb', '2026-10-31T18:30:00Z', 'success'),
  ];
  const html = buildMonthlyReport({ month: '2026-11', entries, lang: 'fr', timeZone: 'Europe/Paris', now: Date.parse('2026-12-01T08:00:00Z'), hostName: 'caisse', kinds: ['usb', 'cloud'] });
  assert.match(html, /<h1>Rapport de sauvegarde — novembre 2026<\/h1>/);
  assert.equal((html.match(/<tr><th scope="row">/g) ?? []).length, 30);
  assert.match(html, /Jours avec une copie réussie : USB 1 \/ 30, cloud 2 \/ 30\./);
  assert.match(html, /19:30 réussie · vérifiée/);
  assert.match(html, /19:30 échec, 21:00 réussie/);
  assert.match(html, /Réussi : 20 fichiers sur 20 identiques/);
  assert.ok(!/<script/i.test(html) && !/https?:\/\//.test(html), 'self-contained');
  const en = buildMonthlyReport({ month: '2026-11', entries: [], lang: 'en', timeZone: 'Europe/Paris', now: 0, hostName: 'pc', kinds: ['usb', 'cloud'] });
  assert.match(en, /Backup report — November 2026/);
  assert.match(en, /No restore test this month\./);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatusDto } from '../contract/api.js';
import { makeFixture, PASSPHRASE, plugDrive, settle, unwrap } from './test-helpers/host-fixture.js';

test('a month of daily runs: retention keeps the count bounded, one weekly sample re-check per week, one drill reminder, status events', async () => {
  const f = await makeFixture('2026-11-01T09:00:00Z');
  try {
    const host = await f.start();
    const statuses: StatusDto[] = [];
    host.on('status', (s) => statuses.push(s));
    const mount = await plugDrive(f, 'CLE');
    unwrap(await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Clé' }, passphrase: PASSPHRASE, language: 'fr' }));
    await host.idle();
    for (let day = 0; day < 32; day++) {
      await writeFile(join(f.src, 'journal de caisse.txt'), `jour ${day}\n`);
      await f.clock.advance(24 * 3_600_000);
      await settle(f, 0);
    }
    const history = unwrap(await host.api.getHistory({ limit: 500 }));
    const backups = history.filter((e) => e.trigger === 'schedule');
    assert.equal(backups.length, 32);
    assert.ok(backups.every((e) => e.outcome === 'success' && e.verification?.ok));
    const samples = history.filter((e) => e.trigger === 'verify');
    assert.equal(samples.length, 4, samples.map((e) => e.startedAt).join());
    assert.ok(samples.every((e) => e.verification?.kind === 'sample' && e.verification.ok));
    const st = unwrap(await host.api.getStatus()).targets[0];
    assert.ok(st.snapshotCount >= 14 && st.snapshotCount < 33, `retention applied: ${st.snapshotCount} snapshots kept`);
    assert.equal(st.drillDue, true);
    assert.equal(unwrap(await host.api.getAlerts({})).filter((a) => a.reason === 'drill-due').length, 1);
    assert.ok(statuses.length > 0 && statuses.some((s) => s.targets[0]?.state === 'running'));
    const html = unwrap(await host.api.getMonthlyReport({ month: '2026-11' })).html;
    assert.match(html, /USB 30 \/ 30/);
  } finally {
    await f.cleanup();
  }
});

test('several runs on one day: every restore point of the last 48 hours is kept, older days keep one point each', async () => {
  const f = await makeFixture('2026-11-02T08:00:00Z');
  try {
    const host = await f.start();
    const mount = await plugDrive(f, 'CLE');
    unwrap(await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Clé' }, passphrase: PASSPHRASE, language: 'fr' }));
    await host.idle();
    // three days with a morning and an afternoon « Sauvegarder maintenant », each with a different journal
    for (let day = 0; day < 3; day++) {
      for (const hour of [0, 5]) {
        await writeFile(join(f.src, 'journal de caisse.txt'), `jour ${day}, ${hour} h\n`);
        unwrap(await host.api.backupNow({ target: 'usb' }));
        await settle(f, 0);
        await f.clock.advance(5 * 3_600_000);
      }
      await f.clock.advance(14 * 3_600_000);
      await settle(f, 0);
    }
    const runs = unwrap(await host.api.getHistory({ limit: 100 })).filter((e) => e.outcome === 'success' && e.trigger !== 'verify');
    const st = unwrap(await host.api.getStatus()).targets[0];
    // one point a day would leave 3 or 4; the last 48 hours alone hold at least the 2 manual and the scheduled run of
    // each of the last two days
    assert.ok(runs.length >= 8, `${runs.length} runs`);
    assert.ok(st.snapshotCount >= 6, `points kept: ${st.snapshotCount} of ${runs.length} runs`);
  } finally {
    await f.cleanup();
  }
});

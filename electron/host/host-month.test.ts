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

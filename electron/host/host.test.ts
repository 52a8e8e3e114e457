import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rename, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFixture, PASSPHRASE, plugDrive, settle, unwrap } from './test-helpers/host-fixture.js';

test('setup on a USB drive: shared-key repo created, first backup journaled and verified, status ok', async () => {
  const f = await makeFixture('2026-11-24T09:00:00Z');
  try {
    const host = await f.start();
    assert.equal(unwrap(await host.api.getStatus()).overall, 'setup');
    const mount = await plugDrive(f, 'SAUVEGARDE');
    const drives = unwrap(await host.api.listDrives());
    assert.deepEqual(drives.map((d) => [d.mountPath, d.enrolledTargetId]), [[mount, null]]);
    const bad = await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Boutique' }, passphrase: 'short', language: 'fr' });
    assert.equal(!bad.ok && bad.error.code, 'INVALID_INPUT');
    const res = unwrap(
      await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Sauvegarde Boutique' }, passphrase: PASSPHRASE, language: 'fr' }),
    );
    assert.match(res.recoveryKey, /^AGE-SECRET-KEY-1/);
    await host.idle();
    const history = unwrap(await host.api.getHistory({}));
    assert.equal(history.length, 1);
    assert.equal(history[0].outcome, 'success', JSON.stringify(history[0].error));
    assert.equal(history[0].trigger, 'manual');
    assert.equal(history[0].verification?.ok, true);
    assert.equal(history[0].files, 2);
    const status = unwrap(await host.api.getStatus());
    const usb = status.targets.find((t) => t.kind === 'usb')!;
    assert.equal(usb.state, 'ok');
    assert.equal(usb.snapshotCount, 1);
    assert.equal(usb.nextRunAt, '2026-11-24T18:30:00.000Z'); // 19:30 Paris
    assert.equal(status.overall, 'orange'); // only one copy configured: never green
    assert.ok(f.notifier.sent.some((n) => n.reason === 'drive-safe-to-remove'));
    assert.equal(JSON.parse(await readFile(join(mount, '.rempart-drive.json'), 'utf8')).targetId, 'usb');
    const settingsText = await readFile(join(f.dataDir, 'settings.json'), 'utf8');
    assert.ok(!settingsText.includes(PASSPHRASE));
    assert.ok(f.secrets.values.has('writer:usb'));
    assert.equal(unwrap(await host.api.listDrives())[0].enrolledTargetId, 'usb');
  } finally {
    await f.cleanup();
  }
});

test('catch-up: a missed 19:30 run is made once at start, not again at the next start; the schedule then fires', async () => {
  const f = await makeFixture('2026-11-24T09:00:00Z');
  try {
    const host = await f.start();
    const mount = await plugDrive(f, 'CLE');
    unwrap(await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Clé' }, passphrase: PASSPHRASE, language: 'fr' }));
    await host.idle();
    await host.stop();
    await f.clock.set(new Date('2026-11-25T07:00:00Z')); // PC was off at 19:30
    const h2 = await f.start();
    await h2.idle();
    let history = unwrap(await h2.api.getHistory({}));
    assert.deepEqual(history.map((e) => e.trigger), ['catch-up', 'manual']);
    await h2.stop();
    const h3 = await f.start();
    await h3.idle();
    history = unwrap(await h3.api.getHistory({}));
    assert.equal(history.length, 2, 'no second catch-up');
    assert.equal(unwrap(await h3.api.getStatus()).targets[0].snapshotCount, 2, 'restore points read at start');
    await f.clock.set(new Date('2026-11-25T18:30:00Z'));
    await settle(f, 1000);
    history = unwrap(await h3.api.getHistory({}));
    assert.equal(history[0].trigger, 'schedule');
    assert.equal(history[0].startedAt, '2026-11-25T18:30:00.000Z');
    assert.equal(history[0].outcome, 'success');
  } finally {
    await f.cleanup();
  }
});

test('enrolled drive unplugged: stale after 72 h sends exactly one alert; plugging it back runs, recovers once; an unenrolled drive is ignored', async () => {
  const f = await makeFixture('2026-11-24T09:00:00Z');
  try {
    const host = await f.start();
    const mount = await plugDrive(f, 'CLE');
    unwrap(await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Clé' }, passphrase: PASSPHRASE, language: 'fr' }));
    await host.idle();
    await rename(mount, join(f.root, 'away')); // unplugged
    await settle(f);
    assert.equal(unwrap(await host.api.getStatus()).targets[0].available, false);
    await plugDrive(f, 'AUTRE'); // a stranger's drive: never written to
    await settle(f);
    await f.clock.advance(71 * 3_600_000);
    await settle(f);
    assert.equal(unwrap(await host.api.getAlerts({})).filter((a) => a.reason === 'stale').length, 0);
    assert.equal(unwrap(await host.api.getHistory({})).length, 1, 'no run on the unenrolled drive');
    await f.clock.advance(2 * 3_600_000);
    await settle(f);
    await f.clock.advance(3_600_000);
    await settle(f);
    const stale = unwrap(await host.api.getAlerts({})).filter((a) => a.reason === 'stale');
    assert.equal(stale.length, 1);
    assert.equal(stale[0].title, 'La copie USB n’est plus à jour');
    const st = unwrap(await host.api.getStatus()).targets[0];
    assert.equal(st.state, 'absent');
    assert.equal(f.notifier.sent.filter((n) => n.reason === 'stale').length, 1);
    await rename(join(f.root, 'away'), join(f.drivesRoot, 'CLE-1')); // comes back under another mount path
    await settle(f);
    const history = unwrap(await host.api.getHistory({}));
    assert.equal(history.length, 2);
    assert.equal(history[0].trigger, 'plug');
    assert.equal(history[0].outcome, 'success');
    const recovered = unwrap(await host.api.getAlerts({})).filter((a) => a.reason === 'recovered');
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0].title, 'La copie USB est de nouveau à jour');
    assert.equal(unwrap(await host.api.getStatus()).targets[0].state, 'ok');
    const strangers = unwrap(await host.api.listDrives()).filter((d) => d.enrolledTargetId === null);
    assert.equal(strangers.length, 1);
  } finally {
    await f.cleanup();
  }
});

/**
 * The host against real peers: a FAT32 image mounted with fusefat as the USB drive, a real WebDAV server (rclone) as the
 * cloud, a loopback HTTP server for pings, (the kill -9 test is in host-kill.integration.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createFatImage, fatImageUnavailable, type FatImage } from '../../test-support/usb-image.js';
import { hasTool } from '../../test-support/tools.js';
import { startWebdavServer, type WebdavServer } from '../../test-support/webdav-servers.js';
import { startHost } from './host.js';
import { addBulk, makeFixture, PASSPHRASE, unwrap, type Fixture } from './test-helpers/host-fixture.js';

const fatWhy = fatImageUnavailable('fat32');
const peersWhy = fatWhy ?? (hasTool('rclone') ? null : 'missing tools: rclone');
if (peersWhy && process.env.CI) throw new Error(peersWhy);

async function waitUntil(fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}


describe('two independent copies on a FAT32 drive and a WebDAV server', { skip: peersWhy ?? false }, () => {
  let fat: FatImage;
  let dav: WebdavServer;
  let f: Fixture;
  let pingServer: Server;
  let pingBase = '';
  const pings: string[] = [];
  let recoveryKey = '';

  before(async () => {
    fat = await createFatImage({ sizeMB: 128, label: 'SAUVEGARDE' });
    dav = await startWebdavServer('rclone');
    pingServer = createServer((req, res) => {
      pings.push(req.url ?? '');
      res.end('OK');
    });
    await new Promise<void>((r) => pingServer.listen(0, '127.0.0.1', r));
    pingBase = `http://127.0.0.1:${(pingServer.address() as AddressInfo).port}/ping/cloud-uuid`;
    f = await makeFixture('2026-11-24T09:00:00Z', { realClock: true, driveRoot: fat.parent });
    await f.start();
  });

  after(async () => {
    await f?.cleanup();
    await fat?.cleanup();
    await dav?.stop().catch(() => undefined);
    await new Promise((r) => pingServer?.close(r));
  });

  test('setup creates both repositories with shared keys; one batch backs up both; verified; green', async () => {
    const drives = unwrap(await f.host.api.listDrives());
    assert.deepEqual(drives.map((d) => d.mountPath), [fat.mountPath]);
    const res = unwrap(
      await f.host.api.completeSetup({
        sources: [f.src], excludes: [], usb: { mountPath: fat.mountPath, label: 'Sauvegarde Boutique' },
        cloud: { url: dav.url, username: dav.username, password: dav.password }, passphrase: PASSPHRASE, language: 'fr',
      }),
    );
    assert.equal(res.repoIds.length, 2);
    recoveryKey = res.recoveryKey;
    await f.host.idle();
    const history = unwrap(await f.host.api.getHistory({}));
    assert.deepEqual(history.map((e) => `${e.kind}:${e.outcome}:${e.verification?.ok}`).sort(), ['cloud:success:true', 'usb:success:true']);
    assert.equal(history[0].startedAt.slice(0, 16), history[1].startedAt.slice(0, 16));
    assert.equal(history[0].files, history[1].files);
    const status = unwrap(await f.host.api.getStatus());
    assert.equal(status.overall, 'green', JSON.stringify(status.targets.map((t) => [t.kind, t.state, t.lastVerification])));
  });

  test('restore from the cloud copy: each point lists both copies; a WebDAV source on a new computer opens with the recovery key', async () => {
    const { sessionId } = unwrap(await f.host.api.openRestoreSource({ from: { kind: 'cloud' }, secret: { passphrase: PASSPHRASE } }));
    const points = unwrap(await f.host.api.listRestorePoints({ sessionId }));
    assert.equal(points.length, 1);
    assert.deepEqual(points[0].copies.sort(), ['cloud', 'usb']);
    const wrong = await f.host.api.openRestoreSource({ from: { kind: 'webdav', url: dav.url, username: dav.username, password: 'nope' }, secret: { passphrase: PASSPHRASE } });
    assert.equal(!wrong.ok && wrong.error.code, 'AUTH_FAILED');
    const fresh = await startHost({ dataDir: join(f.root, 'new-pc'), timeZone: 'Europe/Paris', driveRoots: [], onError: () => undefined });
    try {
      const from = { kind: 'webdav' as const, url: dav.url, username: dav.username, password: dav.password };
      const s2 = unwrap(await fresh.api.openRestoreSource({ from, secret: { recoveryKey } }));
      const p2 = unwrap(await fresh.api.listRestorePoints({ sessionId: s2.sessionId }));
      assert.equal(p2.length, 1);
      const files = unwrap(await fresh.api.listRestoreFiles({ sessionId: s2.sessionId, snapshotId: p2[0].snapshotId }));
      assert.ok(files.some((x) => x.path.endsWith('devis.txt')));
    } finally {
      await fresh.stop();
    }
    const test = unwrap(await f.host.api.testWebdav({ url: dav.url, username: dav.username, password: dav.password }));
    assert.equal(test.reachable, true);
    assert.equal(test.hasRepository, true);
  });

  test('the cloud ping URL receives start and success pings', async () => {
    const s = unwrap(await f.host.api.getSettings())!;
    unwrap(await f.host.api.updateSettings({ cloud: { ...s.cloud!, pingUrl: pingBase } }));
    pings.length = 0;
    unwrap(await f.host.api.backupNow({ target: 'cloud' }));
    await f.host.idle();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(pings, ['/ping/cloud-uuid/start', '/ping/cloud-uuid']);
  });

  test('cancelling the USB copy of a shared run: USB is cancelled, the cloud copy restarts alone and completes', async () => {
    await addBulk(join(f.src, 'Scans'), 8);
    const off = f.host.on('progress', (p) => {
      if (p.kind === 'usb' && p.progress.phase === 'backing-up') {
        off();
        void f.host.api.cancelRun({ target: 'usb' });
      }
    });
    unwrap(await f.host.api.backupNow({}));
    await f.host.idle();
    const recent = unwrap(await f.host.api.getHistory({ limit: 3 }));
    const usb = recent.filter((e) => e.kind === 'usb');
    const cloud = recent.filter((e) => e.kind === 'cloud');
    assert.deepEqual(usb.map((e) => e.outcome), ['cancelled']);
    assert.deepEqual(cloud.map((e) => e.outcome), ['success', 'cancelled'], cloud[0].error?.message);
    assert.match(cloud[1].error?.message ?? '', /other copy of the same run was cancelled/);
    assert.equal(unwrap(await f.host.api.getAlerts({})).filter((a) => a.reason === 'failure').length, 0);
  });

  test('the FAT32 drive unmounted and mounted again is detected and, its copy being due, backed up; an unenrolled drive is ignored', async () => {
    const before = unwrap(await f.host.api.getHistory({ target: 'usb' })).length;
    await mkdir(join(fat.parent, 'AUTRE-CLE'), { recursive: true }); // a drive without a Rempart marker
    await fat.unmount();
    await waitUntil(async () => !unwrap(await f.host.api.getStatus()).targets.find((t) => t.kind === 'usb')!.available);
    await fat.remount();
    await waitUntil(async () => {
      await f.host.idle();
      const last = unwrap(await f.host.api.getHistory({ target: 'usb', limit: 1 }))[0];
      return last.trigger === 'plug' && last.outcome !== 'running';
    });
    const usb = unwrap(await f.host.api.getHistory({ target: 'usb' }));
    assert.equal(usb.length, before + 1);
    assert.equal(usb[0].outcome, 'success', usb[0].error?.message);
    const drives = unwrap(await f.host.api.listDrives());
    assert.deepEqual(drives.map((d) => [d.mountPath, d.enrolledTargetId]).sort(), [[join(fat.parent, 'AUTRE-CLE'), null], [fat.mountPath, 'usb']]);
    assert.ok(unwrap(await f.host.api.getAlerts({ limit: 5 })).some((a) => a.reason === 'drive-safe-to-remove'));
  });

  test('WebDAV server stopped mid-run: only the cloud copy fails (and pings /fail)', async () => {
    await addBulk(join(f.src, 'Photos2'), 16);
    pings.length = 0;
    const off = f.host.on('progress', (p) => {
      if (p.kind === 'cloud' && p.progress.phase === 'backing-up') {
        off();
        void dav.stop();
      }
    });
    unwrap(await f.host.api.backupNow({}));
    await f.host.idle();
    await new Promise((r) => setTimeout(r, 200));
    const [a, b] = unwrap(await f.host.api.getHistory({ limit: 2 }));
    const usb = [a, b].find((e) => e.kind === 'usb')!;
    const cloud = [a, b].find((e) => e.kind === 'cloud')!;
    assert.equal(usb.outcome, 'success', usb.error?.message);
    assert.equal(cloud.outcome, 'failed');
    assert.match(cloud.error?.code ?? '', /NETWORK_UNREACHABLE|SERVER_ERROR|NETWORK_STALLED/);
    assert.deepEqual(pings, ['/ping/cloud-uuid/start', '/ping/cloud-uuid/fail']);
    const status = unwrap(await f.host.api.getStatus());
    assert.equal(status.targets.find((t) => t.kind === 'usb')!.state, 'ok');
    assert.equal(status.targets.find((t) => t.kind === 'cloud')!.state, 'failed');
    assert.equal(status.overall, 'red');
  });
});

describe('USB drive unplugged mid-run (FAT32 + WebDAV)', { skip: peersWhy ?? false }, () => {
  let fat: FatImage;
  let dav: WebdavServer;
  let f: Fixture;
  let pingServer: Server;
  let pingBase = '';
  const pings: string[] = [];

  before(async () => {
    fat = await createFatImage({ sizeMB: 128, label: 'SAUVEGARDE' });
    dav = await startWebdavServer('rclone');
    pingServer = createServer((req, res) => {
      pings.push(req.url ?? '');
      res.end('OK');
    });
    await new Promise<void>((r) => pingServer.listen(0, '127.0.0.1', r));
    pingBase = `http://127.0.0.1:${(pingServer.address() as AddressInfo).port}/ping/cloud-uuid`;
    f = await makeFixture('2026-11-24T09:00:00Z', { realClock: true, driveRoot: fat.parent });
    await f.start();
  });

  after(async () => {
    await f?.cleanup();
    await fat?.cleanup();
    await dav?.stop().catch(() => undefined);
    await new Promise((r) => pingServer?.close(r));
  });

  test('setup on both copies', async () => {
    const drives = unwrap(await f.host.api.listDrives());
    assert.deepEqual(drives.map((d) => d.mountPath), [fat.mountPath]);
    const res = unwrap(
      await f.host.api.completeSetup({
        sources: [f.src], excludes: [], usb: { mountPath: fat.mountPath, label: 'Sauvegarde Boutique' },
        cloud: { url: dav.url, username: dav.username, password: dav.password }, passphrase: PASSPHRASE, language: 'fr',
      }),
    );
    assert.equal(res.repoIds.length, 2);
    await f.host.idle();
    const history = unwrap(await f.host.api.getHistory({}));
    assert.deepEqual(history.map((e) => `${e.kind}:${e.outcome}:${e.verification?.ok}`).sort(), ['cloud:success:true', 'usb:success:true']);
    assert.equal(history[0].startedAt.slice(0, 16), history[1].startedAt.slice(0, 16));
    assert.equal(history[0].files, history[1].files);
    const status = unwrap(await f.host.api.getStatus());
    assert.equal(status.overall, 'green', JSON.stringify(status.targets.map((t) => [t.kind, t.state, t.lastVerification])));
  });

  test('drive unplugged mid-run: only the USB copy fails, the cloud copy completes', async () => {
    await addBulk(join(f.src, 'Photos'), 24);
    const off = f.host.on('progress', (p) => {
      if (p.kind === 'usb' && p.progress.phase === 'backing-up') {
        off();
        void fat.unplug();
      }
    });
    unwrap(await f.host.api.backupNow({}));
    await f.host.idle();
    const [a, b] = unwrap(await f.host.api.getHistory({ limit: 2 }));
    const usb = [a, b].find((e) => e.kind === 'usb')!;
    const cloud = [a, b].find((e) => e.kind === 'cloud')!;
    assert.equal(usb.outcome, 'failed');
    assert.equal(usb.error?.code, 'DRIVE_UNPLUGGED', usb.error?.message);
    assert.equal(cloud.outcome, 'success', cloud.error?.message);
    const status = unwrap(await f.host.api.getStatus());
    assert.equal(status.targets.find((t) => t.kind === 'cloud')!.state, 'ok');
    assert.notEqual(status.targets.find((t) => t.kind === 'usb')!.state, 'ok');
    const alerts = unwrap(await f.host.api.getAlerts({}));
    assert.equal(alerts.filter((x) => x.reason === 'failure' && x.targetId === 'usb').length, 1);
    assert.equal(alerts.filter((x) => x.reason === 'failure' && x.targetId === 'cloud').length, 0);
  });

  test('drive plugged back: the failed USB copy runs again on its own and recovers', async () => {
    await fat.remount({ fsck: true });
    const deadline = Date.now() + 60_000;
    for (;;) {
      await f.host.idle();
      const last = unwrap(await f.host.api.getHistory({ target: 'usb', limit: 1 }))[0];
      if (last.trigger === 'plug' && last.outcome !== 'running') {
        assert.equal(last.outcome, 'success', last.error?.message);
        break;
      }
      assert.ok(Date.now() < deadline, 'no run after the drive came back');
      await new Promise((r) => setTimeout(r, 300));
    }
    const alerts = unwrap(await f.host.api.getAlerts({}));
    assert.equal(alerts.filter((x) => x.reason === 'recovered' && x.targetId === 'usb').length, 1);
  });

});

/**
 * The cloud copy behind a flaky network (a loopback TCP proxy in front of rclone serve webdav), host on a FakeClock:
 * a failed run is retried 15 min later, succeeds once the network is back, and sends exactly one failure and one recovery.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasTool } from '../../test-support/tools.js';
import { createFlakyProxy, type FlakyProxy } from '../../test-support/flaky-proxy.js';
import { startWebdavServer, type WebdavServer } from '../../test-support/webdav-servers.js';
import { makeFixture, PASSPHRASE, plugDrive, settle, unwrap, type Fixture } from './test-helpers/host-fixture.js';

const why = hasTool('rclone') ? null : 'missing tools: rclone';
if (why && process.env.CI) throw new Error(why);

let dav: WebdavServer;
let proxy: FlakyProxy;
let f: Fixture;

before(async () => {
  if (why) return;
  dav = await startWebdavServer('rclone');
  proxy = await createFlakyProxy({ port: dav.port });
  f = await makeFixture('2026-11-24T09:00:00Z');
});

after(async () => {
  await f?.cleanup();
  await proxy?.close();
  await dav?.stop().catch(() => undefined);
});

test('a cloud run failing on the network is retried later and recovers', { skip: why ?? false }, async () => {
  const host = await f.start();
  const url = `${proxy.origin}${new URL(dav.url).pathname}`;
  unwrap(
    await host.api.completeSetup({
      sources: [f.src], excludes: [], cloud: { url, username: dav.username, password: dav.password }, passphrase: PASSPHRASE, language: 'fr',
    }),
  );
  await host.idle();
  assert.equal(unwrap(await host.api.getHistory({}))[0].outcome, 'success');

  proxy.configure({ cutAfter: 0, mode: 'reset' }); // the shop's internet is down
  unwrap(await host.api.backupNow({ target: 'cloud' }));
  await host.idle();
  let history = unwrap(await host.api.getHistory({}));
  assert.equal(history[0].outcome, 'failed');
  assert.equal(history[0].error?.code, 'NETWORK_UNREACHABLE', history[0].error?.message);
  const status = unwrap(await host.api.getStatus());
  assert.equal(status.targets[0].state, 'failed');
  assert.equal(status.targets[0].available, false);

  proxy.configure({}); // back
  await settle(f, 14 * 60_000);
  assert.equal(unwrap(await host.api.getHistory({})).length, 2, 'no retry before 15 min');
  await settle(f, 60_000);
  history = unwrap(await host.api.getHistory({}));
  assert.equal(history.length, 3);
  assert.equal(history[0].trigger, 'catch-up');
  assert.equal(history[0].outcome, 'success', history[0].error?.message);
  const alerts = unwrap(await host.api.getAlerts({}));
  assert.deepEqual(alerts.map((a) => a.reason), ['recovered', 'failure']);
  assert.equal(alerts[0].title, 'La copie cloud est de nouveau à jour');
  assert.equal(unwrap(await host.api.getStatus()).targets[0].available, true);
  await settle(f, 4 * 3_600_000);
  assert.equal(unwrap(await host.api.getHistory({})).length, 3, 'no further retry after a success');
});

test('setup losing the network while creating the cloud repository leaves nothing half-done and can be retried', { skip: why ?? false }, async () => {
  const g = await makeFixture('2026-11-24T09:00:00Z');
  try {
    const host = await g.start();
    const mount = await plugDrive(g, 'CLE');
    const url = `${proxy.origin}${new URL(dav.url).pathname}setup-retry/`;
    const req = {
      sources: [g.src], excludes: [], usb: { mountPath: mount, label: 'Clé' },
      cloud: { url, username: dav.username, password: dav.password }, passphrase: PASSPHRASE, language: 'fr' as const,
    };
    await mkdir(join(dav.dataDir, 'setup-retry'), { recursive: true });
    proxy.configure({ upBudget: 1200 }); // the line drops in the middle of the cloud initialisation
    const failed = await host.api.completeSetup(req);
    assert.equal(!failed.ok && failed.error.code, 'NETWORK_UNREACHABLE');
    assert.equal(unwrap(await host.api.getSettings()), null, 'nothing saved');
    const left = (await readdir(join(mount, 'Rempart'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    assert.deepEqual(left.map((e) => e.name), [], 'the new USB repository was removed');
    proxy.configure({});
    const ok = unwrap(await host.api.completeSetup(req));
    assert.equal(ok.repoIds.length, 2);
    await host.idle();
    const history = unwrap(await host.api.getHistory({}));
    assert.deepEqual(history.map((e) => e.outcome), ['success', 'success']);
  } finally {
    await g.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../test-support/tools.js';
import { makeFixture, PASSPHRASE, plugDrive, unwrap } from './test-helpers/host-fixture.js';
import { startSmtpSink } from './test-helpers/smtp-sink.js';

test('e-mail alerts: "send a test" reaches a loopback SMTP server; a failure alert is e-mailed too; a dead server is a clear error', async () => {
  const f = await makeFixture('2026-11-24T09:00:00Z');
  const smtp = await startSmtpSink();
  try {
    const host = await f.start();
    const noSetup = await host.api.sendTestEmail();
    assert.equal(!noSetup.ok && noSetup.error.code, 'NOT_CONFIGURED');
    const mount = await plugDrive(f, 'CLE');
    unwrap(await host.api.completeSetup({ sources: [f.src], excludes: [], usb: { mountPath: mount, label: 'Clé' }, passphrase: PASSPHRASE, language: 'fr' }));
    await host.idle();
    const email = { to: 'gerante@boulangerie.fr', from: 'rempart@boulangerie.fr', host: '127.0.0.1', port: smtp.port, secure: false };
    unwrap(await host.api.updateSettings({ alerts: { desktopNotifications: true, email } }));
    unwrap(await host.api.sendTestEmail());
    assert.equal(smtp.messages.length, 1);
    assert.match(smtp.messages[0].to[0], /gerante@boulangerie\.fr/);
    assert.match(smtp.messages[0].data, /Subject: =\?UTF-8\?Q\?\[Rempart\]|Subject: \[Rempart\] Rempart : message de test/);
    // A failure (the folder to protect vanished) is notified and e-mailed.
    const s = unwrap(await host.api.getSettings())!;
    unwrap(await host.api.updateSettings({ sources: [...s.sources, `${f.src}-gone`] }));
    unwrap(await host.api.backupNow({ target: 'usb' }));
    await host.idle();
    const last = unwrap(await host.api.getHistory({ limit: 1 }))[0];
    assert.equal(last.outcome, 'failed');
    assert.equal(last.error?.code, 'SOURCE_MISSING', last.error?.message);
    const deadline = Date.now() + 5000;
    while (smtp.messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(smtp.messages.length, 2);
    const failure = f.notifier.sent.find((n) => n.reason === 'failure');
    assert.equal(failure?.title, 'Échec de la copie USB');
    unwrap(await host.api.updateSettings({ alerts: { desktopNotifications: true, email: { ...email, port: await freePort() } } }));
    const dead = await host.api.sendTestEmail();
    assert.equal(!dead.ok && dead.error.code, 'NETWORK_UNREACHABLE');
  } finally {
    await smtp.stop();
    await f.cleanup();
  }
});

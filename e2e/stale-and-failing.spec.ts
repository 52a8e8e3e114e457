/**
 * One copy goes wrong, the other stays green: the drive is unplugged and the clock moves past the USB "stale after"
 * threshold (3 days) while the cloud copy keeps running on its schedule → USB card « Clé absente » (orange) with
 * « Branchez la clé « … » », cloud card « À jour », an alert sent. Then the WebDAV server's password changes and
 * « Sauvegarder maintenant » → cloud card « En échec » (red) with « Le serveur refuse le mot de passe : mettez-le à jour… ».
 */
import { test, expect } from '@playwright/test';
import { rmdirSync, rmSync } from 'node:fs';
import type { AlertDto } from '../electron/contract/api.js';
import type { Result } from '../electron/contract/errors.js';
import { alerts as frAlerts } from '../locales/fr/alerts.js';
import { errors as frErrors } from '../locales/fr/errors.js';
import { ui as frUi } from '../locales/fr/ui.js';
import { createFatImage, fatImageUnavailable, type FatImage } from '../test-support/usb-image.js';
import { startWebdavServer, type WebdavServer } from '../test-support/webdav-servers.js';
import { startApp, type RunningApp } from './helpers/app.js';
import { requireApache } from './helpers/tools.js';
import { DRIVE_LABEL, makeShopFolder, plugDrive, removeAll } from './helpers/fixtures.js';
import { advanceClock, cardColour, clockThrough, expectGreenDashboard, setupThroughUi, shot, status, target, waitIdle } from './helpers/flows.js';

const HOUR = 3_600_000;

interface SentNotification { title: string; body: string; targetId: string | null; reason: string }
async function notifications(a: RunningApp): Promise<SentNotification[]> {
  const r = await a.call<Result<SentNotification[]>>('/api/_test/alerts');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
let app: RunningApp | undefined;
let server: WebdavServer | undefined;
let source: string | undefined;
let image: FatImage | undefined;

test.afterEach(async () => {
  await app?.stop();
  await server?.stop();
  await image?.cleanup();
  removeAll(source, image ? undefined : app?.driveRoot);
});

test('drive unplugged past its threshold → USB orange, cloud green; server password changed → cloud red', async ({ page }) => {
  requireApache();
  server = await startWebdavServer('apache');
  // The USB drive: a FAT32 image mounted through FUSE where this machine allows it (root, /dev/fuse, fusefat; required
  // in CI), else a plain folder. Unplugging = unmounting it and removing its mount point.
  const fatWhy = fatImageUnavailable('fat32');
  if (fatWhy && process.env.CI) throw new Error(`cannot mount a FAT32 image in CI: ${fatWhy}`);
  if (!fatWhy) image = await createFatImage({ sizeMB: 64, label: 'BOUTIQUE' });
  // Tuesday 10 March 2026, 10:00 in Paris (no DST change in the next days).
  app = await startApp({ startTime: '2026-03-10T09:00:00.000Z', ...(image ? { driveRoot: image.parent } : {}) });
  source = makeShopFolder();
  const drivePath = image ? image.mountPath : plugDrive(app.driveRoot);
  await setupThroughUi(page, app, { source, drivePath, webdav: { url: server.url, username: server.username, password: server.password } });
  await expectGreenDashboard(page, app);
  const before = await status(app);
  const firstCloud = target(before, 'cloud').lastSuccessAt!;

  // Unplug the drive, then let 3 days and 2 hours pass: the clock stops just after each day's 19 h 30 so that the cloud
  // copy runs on its schedule (and finishes) before the next move.
  if (image) {
    await image.unmount();
    rmdirSync(drivePath);
  } else rmSync(drivePath, { recursive: true, force: true });
  await advanceClock(app, 10_000, 5_000); // the drive poll notices the unplugged drive
  expect(target(await status(app), 'usb').available).toBe(false);
  const after = await clockThrough(app, ['2026-03-10T18:30:30Z', '2026-03-11T18:30:30Z', '2026-03-12T18:30:30Z', '2026-03-13T11:00:00Z']);
  expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThan(72 * HOUR);

  const usb = target(after, 'usb');
  const cloud = target(after, 'cloud');
  expect(usb.state).toBe('absent');
  expect(usb.available).toBe(false);
  expect(cloud.state).toBe('ok');
  expect(Date.parse(cloud.lastSuccessAt!)).toBeGreaterThan(Date.parse(firstCloud)); // the schedule ran the cloud copy
  expect(after.overall).toBe('orange');

  const usbCard = page.getByTestId('card-usb');
  const cloudCard = page.getByTestId('card-cloud');
  await expect(usbCard).toHaveAttribute('data-state', 'absent');
  await expect(usbCard.locator('.pill')).toHaveText(frUi['state.absent']);
  await expect(usbCard).toContainText(frUi['card.absentAction'].replace('{label}', DRIVE_LABEL));
  expect(await cardColour(page, 'usb')).toBe('orange');
  await expect(cloudCard).toHaveAttribute('data-state', 'ok');
  await expect(cloudCard.locator('.pill')).toHaveText(frUi['state.ok']);
  expect(await cardColour(page, 'cloud')).toBe('green');
  await expect(page.getByTestId('overall').getByRole('heading')).toHaveText(frUi['overall.orange']);

  // A notification was sent for the USB copy becoming stale (through the Notifier port), none for the cloud copy, and
  // never twice the same day for the same copy and reason; the app's alert list holds it too.
  const sent = await notifications(app);
  const usbStale = sent.filter((n) => n.targetId === usb.id && n.reason === 'stale');
  expect(usbStale.length, JSON.stringify(sent)).toBe(1);
  expect(usbStale[0]!.title).toBe(frAlerts['stale.title'].replace('{copy}', frAlerts['copy.usb']));
  expect(sent.filter((n) => n.targetId === cloud.id)).toEqual([]);
  await expect(page.getByText(usbStale[0]!.title, { exact: true })).toBeVisible(); // shown in the window too
  const alerts = await app.call<Result<AlertDto[]>>('/api/getAlerts', { limit: 50 });
  expect(alerts.ok).toBe(true);
  const listed = alerts.ok ? alerts.value : [];
  expect(listed.some((a) => a.targetId === usb.id && a.reason === 'stale')).toBe(true);
  const perDay = listed.map((a) => `${a.targetId} ${a.reason} ${a.at.slice(0, 10)}`);
  expect(new Set(perDay).size).toBe(perDay.length);
  await shot(page, 'dashboard-stale.png');

  // The WebDAV account's password changes on the server; « Sauvegarder maintenant ».
  await server.changePassword('un-tout-nouveau-mot-de-passe');
  await page.getByRole('button', { name: frUi['run.now'] }).click();
  await expect(cloudCard).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
  const failed = await waitIdle(app);
  expect(target(failed, 'cloud').state).toBe('failed');
  expect(target(failed, 'cloud').error?.code).toBe('AUTH_FAILED');
  expect(failed.overall).toBe('red');
  await expect(cloudCard.locator('.pill')).toHaveText(frUi['state.failed']);
  await expect(cloudCard).toContainText(frErrors.AUTH_FAILED.action);
  expect(await cardColour(page, 'cloud')).toBe('red');
  await expect(usbCard).toHaveAttribute('data-state', 'absent'); // the USB card keeps its own state
  await expect(page.getByTestId('overall').getByRole('heading')).toHaveText(frUi['overall.red']);
  const failures = (await notifications(app)).filter((n) => n.targetId === cloud.id && n.reason === 'failure');
  expect(failures.length).toBe(1);
  expect(failures[0]!.title).toBe(frAlerts['failure.title'].replace('{copy}', frAlerts['copy.cloud']));
  await expect(page.getByText(failures[0]!.title, { exact: true })).toBeVisible();
  await shot(page, 'dashboard-failing.png');
});

/**
 * First run: the setup wizard (folders, USB drive, WebDAV with « Tester la connexion », passphrase, recovery sheet),
 * then the first backup, then a green dashboard. Real host and engine, a folder as the USB drive, Apache WebDAV.
 */
import { test, expect } from '@playwright/test';
import { startWebdavServer, type WebdavServer } from '../test-support/webdav-servers.js';
import { startApp, type RunningApp } from './helpers/app.js';
import { requireApache } from './helpers/tools.js';
import { DRIVE_LABEL, makeShopFolder, plugDrive, removeAll } from './helpers/fixtures.js';
import { dismissToast, expectGreenDashboard, setupThroughUi, shot, status, target } from './helpers/flows.js';
import { alerts as frAlerts } from '../locales/fr/alerts.js';
import { ui as frUi } from '../locales/fr/ui.js';

let app: RunningApp | undefined;
let server: WebdavServer | undefined;
let source: string | undefined;

test.afterEach(async () => {
  await app?.stop();
  await server?.stop();
  removeAll(source, app?.driveRoot);
});

test('first run: setup wizard → first backup → green dashboard', async ({ page }) => {
  requireApache();
  server = await startWebdavServer('apache');
  app = await startApp({ startTime: '2026-03-10T09:00:00.000Z' });
  source = makeShopFolder();
  const drivePath = plugDrive(app.driveRoot);

  const key = await setupThroughUi(page, app, {
    source, drivePath, webdav: { url: server.url, username: server.username, password: server.password }, screenshots: true,
  });
  expect(key.startsWith('AGE-SECRET-KEY-1')).toBe(true);

  await expectGreenDashboard(page, app);
  await expect(page.getByTestId('overall')).toContainText(frUi['overall.green']);
  await expect(page.getByRole('button', { name: frUi['run.now'] })).toBeEnabled();
  const s = await status(app);
  expect(s.overall).toBe('green');
  expect(target(s, 'usb').snapshotCount).toBe(1);
  expect(target(s, 'cloud').snapshotCount).toBe(1);
  expect(target(s, 'usb').lastVerification?.ok).toBe(true);
  expect(target(s, 'cloud').lastVerification?.ok).toBe(true);
  // The user is told when the drive can be removed (alert pushed to the window).
  const toast = page.getByTestId('alert-toast');
  await expect(toast).toContainText(frAlerts['safeToRemove.title'].replace('{label}', DRIVE_LABEL));
  await dismissToast(page);
  await shot(page, 'dashboard-green.png');
});

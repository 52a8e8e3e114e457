/**
 * A file is deleted from the protected folder; the Restaurer wizard brings it back from the USB copy (latest restore
 * point, found by search, original place, passphrase) → « 1 fichier restauré et vérifié. » and the file is byte-identical.
 */
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { restore as frRestore } from '../locales/fr/restore.js';
import { ui as frUi } from '../locales/fr/ui.js';
import { startWebdavServer, type WebdavServer } from '../test-support/webdav-servers.js';
import { startApp, type RunningApp } from './helpers/app.js';
import { requireApache } from './helpers/tools.js';
import { makeShopFolder, PASSPHRASE, plugDrive, readTree, removeAll } from './helpers/fixtures.js';
import { clockThrough, dismissToast, expectGreenDashboard, expectRestoreSummary, setupThroughUi, shot, status, target, waitIdle } from './helpers/flows.js';

let app: RunningApp | undefined;
let server: WebdavServer | undefined;
let source: string | undefined;

test.afterEach(async () => {
  await app?.stop();
  await server?.stop();
  removeAll(source, app?.driveRoot);
});

test('delete a file → restore it with the wizard from the USB copy → byte-identical', async ({ page }) => {
  requireApache();
  server = await startWebdavServer('apache');
  app = await startApp({ startTime: '2026-03-10T09:00:00.000Z' });
  source = makeShopFolder();
  const drivePath = plugDrive(app.driveRoot);
  await setupThroughUi(page, app, { source, drivePath, webdav: { url: server.url, username: server.username, password: server.password } });
  await expectGreenDashboard(page, app);

  // One file changes; the evening's scheduled copy and a manual one the next morning make three restore points with the
  // first one (retention keeps every point of the last 48 hours): the restore must take the latest.
  const victim = join(source, 'Réglements', 'relevé n°3.csv');
  writeFileSync(victim, readFileSync(victim, 'utf8') + '2026-03-10;Pain au levain;3,20\n');
  utimesSync(victim, new Date('2026-03-10T15:00:00Z'), new Date('2026-03-10T15:00:00Z'));
  const original = readFileSync(victim);
  const untouched = readTree(source);
  await clockThrough(app, ['2026-03-10T18:30:30Z', '2026-03-11T09:00:00Z']);
  await page.getByRole('button', { name: frUi['run.now'] }).click();
  await expect(page.getByTestId('card-usb')).toHaveAttribute('data-state', 'running');
  const s = await waitIdle(app);
  expect(target(s, 'usb').state).toBe('ok');
  expect(target(s, 'usb').snapshotCount).toBe(3);

  rmSync(victim);
  expect(existsSync(victim)).toBe(false);

  await page.getByRole('navigation', { name: frUi['nav.label'] }).getByRole('button', { name: frUi['nav.restore'] }).click();
  await expect(page.getByRole('heading', { name: frRestore['restore.title'] })).toBeVisible();
  const next = page.getByRole('button', { name: frUi['common.next'], exact: true });

  // 1. From the USB drive
  await page.getByRole('radio', { name: new RegExp(`^${frRestore['restore.from.usb']}`) }).check();
  await next.click();

  // 2. The latest restore point (today 10 h 00; yesterday's 10 h 00 and 19 h 30 are the others), held by both copies
  await expect(page.getByRole('heading', { name: frRestore['restore.date.title'] })).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(3);
  const today = page.getByRole('group', { name: /^aujourd.hui$/ });
  await expect(page.getByRole('group', { name: /^hier$/ }).getByRole('radio', { name: /^19\sh\s30/ })).toHaveCount(1);
  await today.getByRole('radio', { name: /^10\sh\s00/ }).check();
  await expect(page.locator('label.choice.selected')).toContainText('clé USB, cloud');
  await next.click();

  // 3. Search the file and tick it
  await expect(page.getByRole('heading', { name: frRestore['restore.what.title'] })).toBeVisible();
  await page.getByRole('radio', { name: frRestore['restore.what.some'] }).check();
  await page.getByLabel(frRestore['restore.what.search']).fill('relevé');
  const pick = page.getByRole('checkbox', { name: /relevé n°3\.csv$/ });
  await expect(pick).toHaveCount(1);
  await pick.check();
  await expect(page.getByText(frRestore['restore.what.selected_one'].replace('{count}', '1'))).toBeVisible();
  await dismissToast(page);
  await shot(page, 'restore-wizard.png');
  await next.click();

  // 4. Back to its original place
  await expect(page.getByRole('heading', { name: frRestore['restore.where.title'] })).toBeVisible();
  await page.getByRole('radio', { name: new RegExp(`^${frRestore['restore.where.original']}`) }).check();
  await next.click();

  // 5. The passphrase
  await expect(page.getByRole('heading', { name: frRestore['restore.secret.title'] })).toBeVisible();
  await page.getByRole('radio', { name: frRestore['restore.secret.passphrase'], exact: true }).check();
  await page.getByLabel(frRestore['restore.secret.typePassphrase']).fill(PASSPHRASE);
  await page.getByRole('main').getByRole('button', { name: frRestore['restore.secret.start'], exact: true }).click();

  // 6. Summary, then the bytes
  await expectRestoreSummary(page, frRestore['restore.done.summary_one'].replace('{count}', '1'));
  expect(readFileSync(victim).equals(original)).toBe(true);
  const now = readTree(source);
  expect([...now.keys()].sort()).toEqual([...untouched.keys()].sort());
  for (const [rel, bytes] of untouched) expect(now.get(rel)?.equals(bytes), rel).toBe(true);
  expect((await status(app)).overall).toBe('green');
});

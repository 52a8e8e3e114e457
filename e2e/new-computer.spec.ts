/**
 * A new computer: a fresh app-data folder, nothing configured. From the first screen, « restaurer mes fichiers » →
 * « Une autre clé ou un autre serveur » (the drive's folder, or the WebDAV address) with ONLY the recovery key →
 * the whole restore point into a new folder → every file byte-identical to the shop's originals.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { JournalEntryDto } from '../electron/contract/api.js';
import type { Result } from '../electron/contract/errors.js';
import { restore as frRestore } from '../locales/fr/restore.js';
import { setup as frSetup } from '../locales/fr/setup.js';
import { ui as frUi } from '../locales/fr/ui.js';
import { startWebdavServer, type WebdavServer } from '../test-support/webdav-servers.js';
import { startApp, type RunningApp } from './helpers/app.js';
import { requireApache } from './helpers/tools.js';
import { findFile, makeShopFolder, plugDrive, readTree, removeAll } from './helpers/fixtures.js';
import { expectGreenDashboard, expectRestoreSummary, setupThroughUi, status } from './helpers/flows.js';

test.describe.configure({ mode: 'serial' });

let server: WebdavServer | undefined;
let source: string | undefined;
let oldDrives: string | undefined;
let drivePath = '';
let recoveryKey = '';
const cleanup: (string | undefined)[] = [];

// The old computer: set up, first backup on both copies, then it is gone (its app-data folder is deleted).
test.beforeAll(async ({ browser }: { browser: Browser }) => {
  test.setTimeout(180_000);
  requireApache();
  server = await startWebdavServer('apache');
  const old = await startApp({ startTime: '2026-03-10T09:00:00.000Z' });
  oldDrives = old.driveRoot;
  try {
    source = makeShopFolder();
    drivePath = plugDrive(old.driveRoot);
    const page = await browser.newPage();
    recoveryKey = await setupThroughUi(page, old, { source, drivePath, webdav: { url: server.url, username: server.username, password: server.password } });
    await expectGreenDashboard(page, old);
    // Both first copies hold the shop's 5 files.
    const history = await old.call<Result<JournalEntryDto[]>>('/api/getHistory', { limit: 10 });
    expect(history.ok && history.value.map((e) => [e.kind, e.outcome, e.files]).sort()).toEqual([
      ['cloud', 'success', 5],
      ['usb', 'success', 5],
    ]);
    await page.close();
  } finally {
    await old.stop(); // removes the old app-data folder (the drive folder and the server stay)
  }
});

test.afterAll(async () => {
  await server?.stop();
  removeAll(source, oldDrives, ...cleanup);
});

async function restoreEverything(page: Page, app: RunningApp, chooseSource: (page: Page) => Promise<void>): Promise<string> {
  const into = join(mkdtempSync(join(tmpdir(), 'rempart-e2e-newpc-')), 'Fichiers restaurés');
  cleanup.push(dirname(into));
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: frSetup['setup.title'] })).toBeVisible();
  await page.getByRole('button', { name: frSetup['setup.restoreInstead'] }).click();
  await expect(page.getByRole('heading', { name: frRestore['restore.title'] })).toBeVisible();
  const next = page.getByRole('button', { name: frUi['common.next'], exact: true });

  // 1. Another drive or server; only the recovery key
  await expect(page.getByRole('radio', { name: new RegExp(`^${frRestore['restore.from.usb']}`) })).toBeDisabled();
  await page.getByRole('radio', { name: new RegExp(`^${frRestore['restore.from.other']}`) }).check();
  await chooseSource(page);
  await page.getByRole('radio', { name: frRestore['restore.secret.recovery'], exact: true }).check();
  await page.getByLabel(frRestore['restore.secret.typeRecovery']).fill(recoveryKey);
  await next.click();

  // 2. The one restore point
  await expect(page.getByRole('heading', { name: frRestore['restore.date.title'] })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('radio')).toHaveCount(1);
  await expect(page.getByRole('radio')).toHaveAccessibleName(/· 5 fichiers ·/); // the point holds the shop's 5 files
  await page.getByRole('radio').check();
  await next.click();

  // 3. Everything
  await page.getByRole('radio', { name: new RegExp(`^${frRestore['restore.what.all']}`) }).check();
  await next.click();

  // 4. Into a new folder
  await page.getByRole('radio', { name: new RegExp(`^${frRestore['restore.where.folder']}`) }).check();
  await page.getByLabel(frRestore['restore.where.folderPath']).fill(into);
  await next.click();

  // 5. The recovery key typed at step 1 is still there
  await expect(page.getByLabel(frRestore['restore.secret.typeRecovery'])).toHaveValue(recoveryKey);
  await page.getByRole('main').getByRole('button', { name: frRestore['restore.secret.start'], exact: true }).click();

  await expectRestoreSummary(page, frRestore['restore.done.summary_other'].replace('{count}', '5'));
  return into;
}

function expectSameTree(restoredRoot: string): void {
  const notes = findFile(restoredRoot, 'notes.md');
  expect(notes, 'notes.md restored somewhere under the chosen folder').not.toBeNull();
  const base = dirname(notes!);
  const original = readTree(source!);
  const restored = readTree(base);
  expect([...restored.keys()].sort()).toEqual([...original.keys()].sort());
  for (const [rel, bytes] of original) expect(restored.get(rel)?.equals(bytes), rel).toBe(true);
  expect(relative(restoredRoot, base).startsWith('..')).toBe(false);
}

for (const via of ['drive', 'webdav'] as const) {
  test(`new computer: whole restore point from the ${via === 'drive' ? 'drive folder' : 'WebDAV server'} with only the recovery key`, async ({ page }) => {
    const app = await startApp({ startTime: '2026-03-12T09:00:00.000Z' }); // a fresh app-data folder and no drive root
    cleanup.push(app.driveRoot);
    try {
      expect((await status(app)).configured).toBe(false);
      const into = await restoreEverything(page, app, async (p) => {
        if (via === 'drive') {
          await p.getByRole('radio', { name: frRestore['restore.from.otherFolder'] }).check();
          await p.getByLabel(frRestore['restore.from.folderPath']).fill(drivePath);
        } else {
          await p.getByRole('radio', { name: frRestore['restore.from.otherWebdav'] }).check();
          await p.getByLabel(frSetup['setup.cloud.url']).fill(server!.url);
          await p.getByLabel(frSetup['setup.cloud.user'], { exact: true }).fill(server!.username);
          await p.getByLabel(frSetup['setup.cloud.password']).fill(server!.password);
        }
      });
      expectSameTree(into);
    } finally {
      await app.stop();
    }
  });
}

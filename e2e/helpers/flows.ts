/// <reference lib="dom" />
/**
 * UI flows shared by the specs (first-run setup through the wizard) and waits on the real host's status.
 * Selectors are built from the French strings in locales/fr.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusDto, TargetStatusDto } from '../../electron/contract/api.js';
import type { Result } from '../../electron/contract/errors.js';
import { restore as frRestore } from '../../locales/fr/restore.js';
import { setup as frSetup } from '../../locales/fr/setup.js';
import { ui as frUi } from '../../locales/fr/ui.js';
import type { RunningApp } from './app.js';
import { DRIVE_LABEL, PASSPHRASE } from './fixtures.js';

export const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<void> {
  await expectPlainFrench(page);
  // Let fonts and the last state change settle; screenshots are the viewport (1100×760 from the config).
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, name), animations: 'disabled', caret: 'hide' });
}

/**
 * What the screen shows is plain French: no "snapshot"/"repository" wording, no raw error codes (WRONG_PASSPHRASE),
 * no unfilled placeholders ({label}), no undefined/NaN, no English UI words.
 */
export async function expectPlainFrench(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/snapshot|repositor/i);
  expect(text).not.toMatch(/\bundefined\b|\bNaN\b|\bnull\b|\[object/);
  expect(text).not.toMatch(/\b[A-Z]{2,}(?:_[A-Z]+)+\b/);
  expect(text).not.toMatch(/\{[a-zA-Z]+\}/);
  expect(text).not.toMatch(/\b(?:Backup|Restore|Settings|Error|Failed|Loading|Cancel|Next|Back|Unknown)\b/);
}

export async function status(app: RunningApp): Promise<StatusDto> {
  const r = await app.call<Result<StatusDto>>('/api/getStatus');
  if (!r.ok) throw new Error(`getStatus: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export function target(s: StatusDto, kind: 'usb' | 'cloud'): TargetStatusDto {
  const t = s.targets.find((x) => x.kind === kind);
  if (!t) throw new Error(`no ${kind} target in status`);
  return t;
}

/** Waits until no copy is running (each poll is a real getStatus). */
export async function waitIdle(app: RunningApp, timeoutMs = 90_000): Promise<StatusDto> {
  const deadline = Date.now() + timeoutMs;
  // A run started by a clock advance may register a moment later: require two idle reads in a row.
  let idleReads = 0;
  for (;;) {
    const s = await status(app);
    idleReads = s.targets.some((t) => t.state === 'running') ? 0 : idleReads + 1;
    if (idleReads >= 2) return s;
    if (Date.now() > deadline) throw new Error(`copies still running after ${timeoutMs} ms: ${JSON.stringify(s.targets.map((t) => [t.kind, t.state]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Moves the host's FakeClock forward in steps, letting every run it triggers finish before the next step. */
export async function advanceClock(app: RunningApp, totalMs: number, stepMs = 4 * 3_600_000): Promise<StatusDto> {
  let left = totalMs;
  let s = await status(app);
  while (left > 0) {
    const ms = Math.min(stepMs, left);
    await app.call('/api/_test/clock/advance', { ms });
    left -= ms;
    s = await waitIdle(app);
  }
  return s;
}

/** Sets the host's FakeClock to each time in turn (forward only), letting the runs each move triggers finish. */
export async function clockThrough(app: RunningApp, times: string[]): Promise<StatusDto> {
  let s = await status(app);
  for (const time of times) {
    await app.call('/api/_test/clock/set', { time });
    s = await waitIdle(app);
  }
  return s;
}

export interface SetupOptions {
  source: string;
  drivePath: string;
  webdav: { url: string; username: string; password: string };
  screenshots?: boolean;
}

/** The first-run wizard, start to finish; returns the recovery key read from the recovery sheet. */
export async function setupThroughUi(page: Page, app: RunningApp, o: SetupOptions): Promise<string> {
  const next = page.getByRole('button', { name: frUi['common.next'], exact: true });
  // The page's own clock starts where the host's FakeClock is (the recovery sheet dates itself with the page's clock).
  const hostNow = await app.call<{ ok: boolean; value: { now: string } }>('/api/_test/clock');
  await page.clock.setSystemTime(new Date(hostNow.value.now));
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: frSetup['setup.title'] })).toBeVisible();

  // 1. Folders
  await expect(page.getByRole('heading', { name: frSetup['setup.folders.title'] })).toBeVisible();
  await page.getByLabel(frSetup['setup.folders.addLabel']).fill(o.source);
  await page.getByRole('button', { name: frUi['common.add'], exact: true }).click();
  await expect(page.getByRole('list', { name: frSetup['setup.folders.chosen'] })).toContainText(o.source);
  await next.click();

  // 2. USB drive
  await expect(page.getByRole('heading', { name: frSetup['setup.usb.title'] })).toBeVisible();
  await page.getByRole('button', { name: frSetup['setup.usb.refresh'] }).click();
  await page.getByRole('radio', { name: new RegExp(escapeRe(o.drivePath)) }).check();
  await page.getByLabel(frSetup['setup.usb.labelField']).fill(DRIVE_LABEL);
  if (o.screenshots) await shot(page, 'setup-wizard.png');
  await next.click();

  // 3. Cloud (WebDAV), with « Tester la connexion »
  await expect(page.getByRole('heading', { name: frSetup['setup.cloud.title'] })).toBeVisible();
  await page.getByLabel(frSetup['setup.cloud.url']).fill(o.webdav.url);
  await page.getByLabel(frSetup['setup.cloud.user'], { exact: true }).fill(o.webdav.username);
  await page.getByLabel(frSetup['setup.cloud.password']).fill(o.webdav.password);
  await page.getByRole('button', { name: frSetup['setup.cloud.test'] }).click();
  // « Connexion réussie. » starts both success sentences (with or without the free space).
  await expect(page.getByTestId('cloud-test-ok')).toContainText(frSetup['setup.cloud.okNoFree']);
  await next.click();

  // 4. Passphrase, typed twice
  await expect(page.getByRole('heading', { name: frSetup['setup.pass.title'] })).toBeVisible();
  await page.getByLabel(frSetup['setup.pass.first'], { exact: true }).fill(PASSPHRASE);
  await page.getByLabel(frSetup['setup.pass.second']).fill(PASSPHRASE);
  await page.getByRole('button', { name: frSetup['setup.pass.create'] }).click();

  // 5. Recovery sheet: the key and its QR code; the confirmation is required
  const sheet = page.getByTestId('recovery-sheet');
  await expect(sheet.getByRole('heading', { name: frSetup['sheet.title'] })).toBeVisible({ timeout: 60_000 });
  const key = (await page.getByTestId('recovery-key').innerText()).trim();
  expect(key).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/);
  await expect(sheet.getByRole('img', { name: frSetup['sheet.qrAlt'] })).toBeVisible();
  await expectQrOf(sheet.getByRole('img', { name: frSetup['sheet.qrAlt'] }), key);
  await expect(sheet).toContainText(frSetup['sheet.usbCopy'].replace('{label}', DRIVE_LABEL));
  if (o.screenshots) await shot(page, 'recovery-sheet.png');
  const start = page.getByRole('button', { name: frSetup['sheet.startFirst'] });
  await start.click();
  await expect(page.getByRole('alert').filter({ hasText: frSetup['sheet.mustConfirm'] })).toBeVisible();
  await expect(sheet).toBeVisible(); // still on the sheet
  await page.getByLabel(frSetup['sheet.confirm']).check();
  await start.click();
  return key;
}

/** The dashboard reaches « Vos données sont protégées », both cards « À jour ». */
export async function expectGreenDashboard(page: Page, app: RunningApp): Promise<void> {
  // First from the host (a failed copy is reported with its technical error), then on screen.
  const s = await waitIdle(app, 120_000);
  expect(s.targets.map((t) => [t.kind, t.state, t.error ? `${t.error.code}: ${t.error.message}` : null])).toEqual([
    ['usb', 'ok', null],
    ['cloud', 'ok', null],
  ]);
  await expect(page.getByTestId('card-usb')).toHaveAttribute('data-state', 'ok', { timeout: 120_000 });
  await expect(page.getByTestId('card-cloud')).toHaveAttribute('data-state', 'ok', { timeout: 120_000 });
  await expect(page.getByTestId('overall').getByRole('heading')).toHaveText(frUi['overall.green']);
  for (const kind of ['usb', 'cloud']) {
    await expect(page.getByTestId(`card-${kind}`).locator('.pill')).toHaveText(frUi['state.ok']);
  }
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The colour the user sees on a card's top border (green / orange / red), from the computed style's hue. */
export async function cardColour(page: Page, kind: 'usb' | 'cloud'): Promise<'green' | 'orange' | 'red' | 'other'> {
  const rgb = await page.getByTestId(`card-${kind}`).evaluate((el) => getComputedStyle(el).borderTopColor);
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 40) return 'other';
  let hue = max === r ? ((g - b) / (max - min)) * 60 : max === g ? (2 + (b - r) / (max - min)) * 60 : (4 + (r - g) / (max - min)) * 60;
  if (hue < 0) hue += 360;
  if (hue >= 80 && hue <= 180) return 'green';
  if (hue >= 15 && hue < 60) return 'orange';
  if (hue < 15 || hue > 340) return 'red';
  return 'other';
}

/**
 * The QR image on the page encodes `text`: its pixels, sampled at each module's centre in the browser, match the module
 * matrix that the qrcode library computes for `text` (same error-correction level as the sheet, margin 1).
 */
export async function expectQrOf(img: Locator, text: string): Promise<void> {
  const expected = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const margin = 1;
  const n = expected.size;
  const dark = await img.evaluate(
    async (el, { n, margin }) => {
      const image = el as HTMLImageElement;
      await image.decode();
      const w = image.naturalWidth;
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = w;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      const data = ctx.getImageData(0, 0, w, w).data;
      const scale = w / (n + 2 * margin);
      const out: boolean[] = [];
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          const x = Math.floor((c + margin + 0.5) * scale);
          const y = Math.floor((r + margin + 0.5) * scale);
          out.push(data[(y * w + x) * 4]! < 128);
        }
      }
      return out;
    },
    { n, margin },
  );
  let differing = 0;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (dark[r * n + c] !== !!expected.get(r, c)) differing++;
  expect(differing, `QR modules differing from the recovery key's QR code (of ${n * n})`).toBe(0);
}

/**
 * Waits for the restore wizard's summary. If the wizard shows its failure screen instead, fails at once with the
 * technical detail (the `<code>` inside « Détails techniques »), so a failure says why.
 */
export async function expectRestoreSummary(page: Page, sentence: string, timeoutMs = 90_000): Promise<void> {
  const summary = page.getByTestId('restore-summary');
  const failed = page.getByRole('heading', { name: frRestore['restore.failed.title'] });
  await expect(summary.or(failed)).toBeVisible({ timeout: timeoutMs });
  if (await failed.isVisible()) {
    const technical = await page.locator('.problem-details code').allTextContents();
    const shown = await page.getByRole('alert').allInnerTexts();
    throw new Error(`restore failed: ${shown.join(' | ')} — technical: ${technical.join(' | ')}`);
  }
  await expect(summary.getByRole('status'), await summary.innerText()).toHaveText(sentence);
}

/** Closes the window's alert toast when one is shown (« Fermer »). */
export async function dismissToast(page: Page): Promise<void> {
  const toast = page.getByTestId('alert-toast');
  if (await toast.isVisible()) {
    await toast.getByRole('button', { name: frUi['common.close'] }).click();
    await expect(toast).toBeHidden();
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, copyFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigStore } from './config-store.js';
import { defaultCloudTarget, defaultSettings, defaultUsbTarget } from './defaults.js';
import { applySettingsPatch } from './validate.js';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'rempart-config-'));
}

test('no settings file means not configured; save then load round-trips', async () => {
  const dir = await tempDir();
  try {
    const store = new ConfigStore(dir);
    assert.equal(await store.load(), null);
    const s = { ...defaultSettings(), sources: ['/home/a/Documents'], usb: defaultUsbTarget('d-1', 'Sauvegarde'), cloud: defaultCloudTarget('https://dav.example/r/', 'anne') };
    await store.save(s);
    assert.deepEqual(await store.load(), s);
    assert.deepEqual((await readdir(dir)).sort(), ['settings.json']); // no temp file left behind
    const text = await readFile(join(dir, 'settings.json'), 'utf8');
    assert.ok(!/password/i.test(text));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('defaults: cloud daily 19:30 stale after 26 h; USB on plug-in + daily, stale after 72 h; retention 14/8/24/all', () => {
  const cloud = defaultCloudTarget('https://dav.example/r/', 'anne');
  assert.deepEqual(cloud.schedule, { kind: 'daily', time: '19:30', days: [] });
  assert.equal(cloud.staleAfterHours, 26);
  const usb = defaultUsbTarget('d', 'l');
  assert.equal(usb.onPlug, true);
  assert.equal(usb.staleAfterHours, 72);
  assert.deepEqual(usb.retention, { keepDaily: 14, keepWeekly: 8, keepMonthly: 24, keepYearly: -1 });
});

test('an invalid field is reported by name with INVALID_CONFIG', async () => {
  const dir = await tempDir();
  try {
    const s = { ...defaultSettings(), cloud: { ...defaultCloudTarget('https://dav.example/r/', 'anne'), staleAfterHours: -3 } };
    await writeFile(join(dir, 'settings.json'), JSON.stringify(s));
    await assert.rejects(new ConfigStore(dir).load(), (e: Error & { code?: string; details?: { field?: string } }) => {
      assert.equal(e.code, 'INVALID_CONFIG');
      assert.equal(e.details?.field, 'cloud.staleAfterHours');
      assert.match(e.message, /cloud\.staleAfterHours: must be a whole number/);
      return true;
    });
    await writeFile(join(dir, 'settings.json'), '{ "version": 1, ');
    await assert.rejects(new ConfigStore(dir).load(), /not valid JSON/);
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ ...defaultSettings(), version: 9 }));
    await assert.rejects(new ConfigStore(dir).load(), /newer Rempart/);
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ ...defaultSettings(), cloud: { ...defaultCloudTarget('https://u:p@x/', 'a') } }));
    await assert.rejects(new ConfigStore(dir).load(), /cloud\.url: must not contain a user name or password/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a v0 settings file is migrated to v1, validated, rewritten, and the original kept', async () => {
  const dir = await tempDir();
  try {
    await copyFile(new URL('./fixtures/settings-v0.json', import.meta.url), join(dir, 'settings.json'));
    const s = await new ConfigStore(dir).load();
    assert.ok(s);
    assert.equal(s.version, 1);
    assert.deepEqual(s.sources, ['/home/boutique/Documents', '/home/boutique/Compta']);
    assert.deepEqual(s.excludes, ['*.tmp']);
    assert.deepEqual(s.usb?.schedule, { kind: 'daily', time: '18:00', days: [] });
    assert.equal(s.usb?.staleAfterHours, 72);
    assert.equal(s.usb?.driveId, 'd-7f3a9c');
    assert.deepEqual(s.cloud?.schedule, { kind: 'cron', expression: '*/30 9-19 * * 1-6' });
    assert.equal(s.cloud?.username, 'anne');
    const rewritten = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    assert.equal(rewritten.version, 1);
    const kept = JSON.parse(await readFile(join(dir, 'settings.v0.bak.json'), 'utf8'));
    assert.equal(kept.lang, 'fr');
    assert.deepEqual(await new ConfigStore(dir).load(), s); // second load: nothing to migrate
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('patches from the UI are validated with INVALID_INPUT; null removes a target', () => {
  const base = { ...defaultSettings(), usb: defaultUsbTarget('d', 'Clé') };
  const next = applySettingsPatch(base, { language: 'en', usb: null });
  assert.equal(next.language, 'en');
  assert.equal(next.usb, undefined);
  assert.throws(
    () => applySettingsPatch(base, { usb: { ...base.usb, schedule: { kind: 'cron', expression: 'every day' } } }),
    (e: Error & { code?: string }) => e.code === 'INVALID_INPUT' && /usb\.schedule/.test(e.message),
  );
  assert.throws(() => applySettingsPatch(base, { version: 2 }), /version: unknown field/);
});

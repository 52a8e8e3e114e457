import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS, type RempartApi, type SettingsDto } from '../contract/api.js';
import { loginItemChange, shellApi } from './shell-api.js';

const settings = (startAtLogin: boolean): SettingsDto => ({
  version: 1, language: 'fr', sources: [], excludes: [], alerts: { desktopNotifications: true }, drillIntervalDays: 30, startAtLogin,
});

/** A class-based host (methods on the prototype), as a real implementation may be. */
class RecordingHost {
  calls: string[] = [];
  failUpdates = false;
  current = settings(false);
}
for (const m of API_METHODS) {
  (RecordingHost.prototype as unknown as Record<string, unknown>)[m] = async function (this: RecordingHost, payload: unknown) {
    this.calls.push(m);
    if (m === 'updateSettings') {
      if (this.failUpdates) return { ok: false, error: { code: 'INVALID_CONFIG', message: 'no' } };
      this.current = { ...this.current, ...(payload as object) };
      return { ok: true, value: this.current };
    }
    if (m === 'getSettings') return { ok: true, value: this.current };
    return { ok: true, value: m };
  };
}

test('every method passes through to the host, including prototype methods', async () => {
  const host = new RecordingHost();
  const api = shellApi(host as unknown as RempartApi, { settingsSaved: async () => undefined });
  for (const m of API_METHODS) await (api[m] as (p?: unknown) => Promise<unknown>)({});
  const expected = API_METHODS.flatMap((m) => (m === 'completeSetup' ? [m, 'getSettings'] : [m]));
  assert.deepEqual(host.calls, expected);
});

test('saved settings reach the shell; failed saves do not', async () => {
  const host = new RecordingHost();
  const seen: SettingsDto[] = [];
  const api = shellApi(host as unknown as RempartApi, { settingsSaved: async (s) => void seen.push(s) });
  await api.updateSettings({ startAtLogin: true });
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.startAtLogin, true);
  host.failUpdates = true;
  const r = await api.updateSettings({ startAtLogin: false });
  assert.equal(r.ok, false);
  assert.equal(seen.length, 1);
  await api.completeSetup({ sources: [], excludes: [], passphrase: 'x', language: 'fr' });
  assert.equal(seen.length, 2, 'setup re-reads the settings');
});

test('login item is applied only when startAtLogin changes', () => {
  assert.equal(loginItemChange(null, settings(false)), false);
  assert.equal(loginItemChange(settings(false), settings(true)), true);
  assert.equal(loginItemChange(settings(true), settings(true)), null);
});

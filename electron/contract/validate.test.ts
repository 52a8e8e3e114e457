import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS } from './api.js';
import { isApiMethod, validatePayload } from './validate.js';

function refused(method: string, payload: unknown, field?: string): void {
  const r = validatePayload(method, payload);
  assert.equal(r.ok, false, `${method} accepted ${JSON.stringify(payload)}`);
  if (r.ok) return;
  assert.equal(r.error.code, 'INVALID_INPUT');
  if (field) assert.equal(r.error.details?.field, field, r.error.message);
}

function accepted(method: string, payload: unknown): unknown {
  const r = validatePayload(method, payload);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

const schedule = { kind: 'daily', time: '19:30', days: [] };
const retention = { keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: -1 };
const usb = {
  id: 'usb-1', label: 'Sauvegarde Boutique', driveId: 'd-123', schedule, onPlug: true,
  staleAfterHours: 48, retention, enabled: true,
};

test('isApiMethod knows every contract method and nothing else', () => {
  for (const m of API_METHODS) assert.ok(isApiMethod(m));
  for (const m of ['constructor', '__proto__', 'toString', '', 'getstatus', 42, null]) assert.equal(isApiMethod(m), false);
  refused('toString', undefined);
  refused('__proto__', {});
});

test('methods without payload accept nothing, null or {} only', () => {
  assert.equal(accepted('getStatus', undefined), undefined);
  assert.equal(accepted('getStatus', null), undefined);
  assert.equal(accepted('getStatus', {}), undefined);
  refused('getStatus', { a: 1 });
  refused('listDrives', 'x');
  refused('sendTestEmail', [1]);
});

test('unknown keys are refused, including __proto__ from JSON', () => {
  refused('backupNow', { target: 'usb', extra: 1 }, 'payload.extra');
  refused('backupNow', JSON.parse('{"__proto__": {"polluted": true}}'), 'payload.__proto__');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('enums are checked', () => {
  assert.deepEqual(accepted('backupNow', { target: 'cloud' }), { target: 'cloud' });
  assert.deepEqual(accepted('backupNow', {}), {});
  refused('backupNow', { target: 'ftp' }, 'payload.target');
  refused('startDrill', { target: 'USB', secret: { passphrase: 'x' } }, 'payload.target');
  refused('updateSettings', { language: 'de' }, 'payload.language');
  refused('backupNow', undefined, 'payload');
});

test('paths must be absolute (POSIX, Windows drive, UNC) and free of NUL', () => {
  accepted('openPath', { path: '/home/boutique/Documents' });
  accepted('openPath', { path: 'C:\\Users\\Boutique\\Documents' });
  accepted('openPath', { path: '\\\\nas\\partage\\compta' });
  refused('openPath', { path: 'Documents' }, 'payload.path');
  refused('openPath', { path: '../etc/passwd' }, 'payload.path');
  refused('openPath', { path: 'C:relative' }, 'payload.path');
  refused('openPath', { path: '/tmp/a\u0000b' }, 'payload.path');
  refused('openPath', { path: '/' + 'a'.repeat(5000) }, 'payload.path');
  refused('openPath', { path: 42 }, 'payload.path');
  refused('updateSettings', { sources: ['/ok', 'relative'] }, 'payload.sources[1]');
});

test('strings are length-capped and secrets are never echoed in errors', () => {
  const huge = 'p'.repeat(5000);
  const r = validatePayload('setWebdavPassword', { password: huge });
  assert.equal(r.ok, false);
  if (!r.ok) assert.ok(!JSON.stringify(r.error).includes('pppp'));
  refused('setWebdavPassword', { password: '' }, 'payload.password');
  accepted('setWebdavPassword', { password: 'abcd-efgh' });
});

test('numbers must be finite integers in range', () => {
  accepted('getHistory', { limit: 50, target: 'usb' });
  refused('getHistory', { limit: 0 }, 'payload.limit');
  refused('getHistory', { limit: 1.5 }, 'payload.limit');
  refused('getHistory', { limit: '10' }, 'payload.limit');
  refused('getHistory', { limit: 1e9 }, 'payload.limit');
});

test('settings patch: nested targets, schedules and e-mail are validated', () => {
  const value = accepted('updateSettings', { usb, startAtLogin: true }) as { usb: typeof usb };
  assert.deepEqual(value.usb, usb);
  assert.notEqual(value.usb, usb, 'a fresh copy is returned');
  refused('updateSettings', { usb: { ...usb, schedule: { kind: 'daily', time: '25:00', days: [] } } }, 'payload.usb.schedule.time');
  refused('updateSettings', { usb: { ...usb, schedule: { kind: 'weekly' } } }, 'payload.usb.schedule.kind');
  refused('updateSettings', { usb: { ...usb, schedule: { ...schedule, days: [7] } } }, 'payload.usb.schedule.days[0]');
  refused('updateSettings', { usb: { ...usb, pingUrl: 'javascript:alert(1)' } }, 'payload.usb.pingUrl');
  refused('updateSettings', { usb: { ...usb, retention: { ...retention, keepYearly: -2 } } }, 'payload.usb.retention.keepYearly');
  const { label: _l, ...noLabel } = usb;
  refused('updateSettings', { usb: noLabel }, 'payload.usb.label');
  accepted('updateSettings', { alerts: { desktopNotifications: true, email: { to: 'a@b.fr', from: 'r@b.fr', host: 'smtp.b.fr', port: 587, secure: false } } });
  refused('updateSettings', { alerts: { desktopNotifications: true, email: { to: 'nobody', from: 'r@b.fr', host: 'h', port: 587, secure: false } } }, 'payload.alerts.email.to');
  refused('updateSettings', { version: 3 }, 'payload.version');
});

test('cloud URLs must be http(s) without credentials', () => {
  accepted('testWebdav', { url: 'https://cloud.example.fr/remote.php/dav/files/boutique/', username: 'boutique', password: 'x' });
  refused('testWebdav', { url: 'https://u:p@cloud.example.fr/', username: 'boutique', password: 'x' }, 'payload.url');
  refused('testWebdav', { url: 'file:///etc', username: 'boutique', password: 'x' }, 'payload.url');
  refused('testWebdav', { url: 'not a url', username: 'boutique', password: 'x' }, 'payload.url');
});

test('secrets: exactly one of passphrase or recoveryKey', () => {
  accepted('startDrill', { target: 'usb', secret: { passphrase: 'correct horse' } });
  accepted('startDrill', { target: 'usb', secret: { recoveryKey: 'AGE-SECRET-KEY-1ABC' } });
  refused('startDrill', { target: 'usb', secret: {} }, 'payload.secret');
  refused('startDrill', { target: 'usb', secret: { passphrase: 'a', recoveryKey: 'b' } }, 'payload.secret');
  refused('startDrill', { target: 'usb', secret: { passphrase: 'a', other: 1 } }, 'payload.secret.other');
  refused('startDrill', { target: 'usb' }, 'payload.secret');
});

test('restore requests: source kinds, targets and snapshot ids', () => {
  accepted('openRestoreSource', { from: { kind: 'folder', path: '/media/usb' } });
  accepted('openRestoreSource', { from: { kind: 'webdav', url: 'https://h/x/', username: 'u', password: 'p' }, secret: { recoveryKey: 'k' } });
  refused('openRestoreSource', { from: { kind: 'folder', path: 'media' } }, 'payload.from.path');
  refused('openRestoreSource', { from: { kind: 'usb', path: '/x' } }, 'payload.from.path');
  const req = { sessionId: 's1', snapshotId: 'abc123', include: [], target: { kind: 'original' }, secret: { passphrase: 'x' } };
  accepted('startRestore', req);
  refused('startRestore', { ...req, snapshotId: '../x' }, 'payload.snapshotId');
  refused('startRestore', { ...req, target: { kind: 'folder', path: 'rel' } }, 'payload.target.path');
  refused('startRestore', { ...req, include: 'all' }, 'payload.include');
  refused('listRestorePoints', { sessionId: 'a/b' }, 'payload.sessionId');
});

test('completeSetup and monthly report', () => {
  const setup = { sources: ['/home/b/Documents'], excludes: ['*.tmp'], passphrase: 'long passphrase', language: 'fr', usb: { mountPath: '/media/b/KEY', label: 'Sauvegarde' } };
  accepted('completeSetup', setup);
  refused('completeSetup', { ...setup, passphrase: undefined }, 'payload.passphrase');
  refused('completeSetup', { ...setup, usb: { mountPath: 'KEY', label: 'x' } }, 'payload.usb.mountPath');
  accepted('getMonthlyReport', { month: '2026-11' });
  refused('getMonthlyReport', { month: '2026-13' }, 'payload.month');
});

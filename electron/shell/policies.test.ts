import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusDto, TargetStatusDto } from '../contract/api.js';
import { appOriginOf, isAllowedDownload, isAllowedExternalUrl, isAppUrl } from './navigation-policy.js';
import { onWindowClose, runInProgress, startedHidden } from './quit-policy.js';
import { screenForReason } from './notification-policy.js';
import { readFileSync } from 'node:fs';
import { APP_ID, APP_NAME } from './app-identity.js';
import { APP_NAME as WEB_APP_NAME } from '../host/bridge/web-args.js';

test('navigation stays inside app://rempart (parsed origin, not a prefix)', () => {
  assert.ok(isAppUrl('app://rempart/index.html'));
  assert.ok(isAppUrl('app://rempart/index.html#/restore'));
  assert.equal(isAppUrl('app://rempart.evil.example/index.html'), false);
  assert.equal(isAppUrl('app://evil/rempart'), false);
  assert.equal(isAppUrl('https://rempart/'), false);
  assert.equal(isAppUrl('file:///app/rempart/index.html'), false);
  assert.equal(isAppUrl('javascript:alert(1)'), false);
  assert.equal(appOriginOf('not a url'), null);
});

test('openExternal only for allowlisted https hosts', () => {
  assert.ok(isAllowedExternalUrl('https://github.com/rempart/rempart#readme'));
  assert.equal(isAllowedExternalUrl('http://github.com/'), false);
  assert.equal(isAllowedExternalUrl('https://github.com.evil.example/'), false);
  assert.equal(isAllowedExternalUrl('https://user:pw@github.com/'), false);
  assert.equal(isAllowedExternalUrl('https://github.com:8443/'), false);
  assert.equal(isAllowedExternalUrl('file:///etc/passwd'), false);
  assert.equal(isAllowedExternalUrl('smb://nas/share'), false);
});

test('downloads only of blobs the UI made', () => {
  assert.ok(isAllowedDownload('blob:app://rempart/6f1c2a9e-1111-4c1e-9e1e-123456789abc'));
  assert.equal(isAllowedDownload('blob:https://evil.example/6f1c'), false);
  assert.equal(isAllowedDownload('https://example.com/malware.exe'), false);
  assert.equal(isAllowedDownload('app://rempart/index.html'), false);
  assert.equal(isAllowedDownload('data:text/html,hi'), false);
});

const target = (over: Partial<TargetStatusDto>): TargetStatusDto => ({
  id: 'usb', kind: 'usb', label: 'Sauvegarde', state: 'ok', lastSuccessAt: null, lastRunAt: null, nextRunAt: null,
  staleAfterHours: 48, lastVerification: null, lastDrill: null, error: null, progress: null, snapshotCount: 0,
  freeBytes: null, available: true, drillDue: false, ...over,
});
const status = (overall: StatusDto['overall'], targets: TargetStatusDto[]): StatusDto => ({
  now: '2026-11-24T10:00:00Z', timeZone: 'Europe/Paris', configured: true, overall, targets,
});

test('quitting asks first only while a run is in progress', () => {
  assert.equal(runInProgress(null), false);
  assert.equal(runInProgress(status('green', [target({})])), false);
  assert.equal(runInProgress(status('red', [target({ state: 'failed' })])), false);
  assert.ok(runInProgress(status('running', [target({ state: 'running' })])));
  assert.ok(runInProgress(status('orange', [target({ state: 'stale' }), target({ kind: 'cloud', state: 'running' })])));
});

test('start hidden at login; closing hides to the tray unless quitting', () => {
  assert.ok(startedHidden(['/opt/Rempart/rempart', '--hidden'], false));
  assert.ok(startedHidden(['/opt/Rempart/rempart'], true));
  assert.equal(startedHidden(['/opt/Rempart/rempart'], false), false);
  assert.equal(onWindowClose(false), 'hide-to-tray');
  assert.equal(onWindowClose(true), 'close');
});

test('a clicked notification opens the relevant screen', () => {
  assert.equal(screenForReason('failure'), 'dashboard');
  assert.equal(screenForReason('stale'), 'dashboard');
  assert.equal(screenForReason('test'), 'settings');
});

test('app identity matches the installer config and browser mode', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { build: { appId: string; productName: string } };
  assert.equal(pkg.build.appId, APP_ID);
  assert.equal(pkg.build.productName, APP_NAME);
  assert.equal(WEB_APP_NAME, APP_NAME, 'npm run web and the desktop app share the app-data folder');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgsError, defaultDataDir, parseWebArgs } from './web-args.js';

test('default app-data folder matches Electron userData for "Rempart"', () => {
  assert.equal(defaultDataDir('linux', {}, '/home/ana'), '/home/ana/.config/Rempart');
  assert.equal(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana'), '/xdg/Rempart');
  assert.equal(defaultDataDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/ana'), '/home/ana/.config/Rempart');
  assert.equal(defaultDataDir('darwin', {}, '/Users/ana'), '/Users/ana/Library/Application Support/Rempart');
  assert.match(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana'), /Roaming.Rempart$/);
});

test('parses the documented options', () => {
  const a = parseWebArgs(['--data-dir', 'tmp/app', '--port', '0', '--drive-roots', '/media/x', '--drive-roots=/mnt', '--test-hooks', '--clock-start', '2026-11-24T18:00:00Z'], '/w');
  assert.equal(a.dataDir, '/w/tmp/app');
  assert.equal(a.port, 0);
  assert.deepEqual(a.driveRoots, ['/media/x', '/mnt']);
  assert.equal(a.testHooks, true);
  assert.equal(a.clockStart, Date.parse('2026-11-24T18:00:00Z'));
  assert.equal(a.staticDir, '/w/dist/renderer');
  const d = parseWebArgs([], '/w');
  assert.equal(d.testHooks, false);
  assert.equal(d.driveRoots, undefined);
  assert.equal(parseWebArgs(['--port=4321'], '/w').port, 4321);
});

test('refuses bad options', () => {
  for (const argv of [['--port', '-1'], ['--port', '70000'], ['--port', 'abc'], ['--data-dir'], ['--bogus'], ['--clock-start', '2026-01-01'], ['--test-hooks', '--clock-start', 'yesterday']]) {
    assert.throws(() => parseWebArgs(argv, '/w'), ArgsError, argv.join(' '));
  }
});

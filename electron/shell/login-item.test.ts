import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autostartDir, autostartEntry, setLinuxAutostart } from './login-item.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

test('autostart entry runs the app hidden, quoting odd paths', () => {
  const text = autostartEntry(['/opt/Rempart/rempart', '--hidden']);
  assert.match(text, /^Exec=\/opt\/Rempart\/rempart --hidden$/m);
  const odd = autostartEntry(['/home/a b/Rempart "x".AppImage', '--hidden']);
  assert.match(odd, /^Exec="\/home\/a b\/Rempart \\"x\\".AppImage" --hidden$/m);
  assert.equal(autostartDir({ XDG_CONFIG_HOME: '/cfg' }), '/cfg/autostart');
});

test('enabling writes the XDG entry, disabling removes it', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'rempart-autostart-')), 'autostart');
  dirs.push(join(dir, '..'));
  const file = await setLinuxAutostart(true, ['/usr/bin/rempart', '--hidden'], dir);
  assert.match(await readFile(file, 'utf8'), /Exec=\/usr\/bin\/rempart --hidden/);
  await setLinuxAutostart(false, [], dir);
  await assert.rejects(access(file));
  await setLinuxAutostart(false, [], dir); // idempotent
});

/**
 * The CLI against a real WebDAV server (rclone serve webdav, loopback): --repo http://user@127.0.0.1:PORT/…/ with
 * REMPART_WEBDAV_PASSWORD; init, backup, restore byte for byte, check --read-data; a wrong password is AUTH_FAILED.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../../test-support/tools.js';
import { startWebdavServer, type WebdavServer } from '../../test-support/webdav-servers.js';
import { cliEnv, runCli } from '../../test-support/rempart-cli.js';

let dir: string;
let server: WebdavServer | undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-cli-dav-'));
});

after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('backup to and restore from a WebDAV repository through the CLI', async (t) => {
  if (!requireTools(t, ['rclone'])) return;
  server = await startWebdavServer('rclone', { username: 'anne', password: 'mot de passe' });
  const url = new URL('Rempart/', server.url);
  url.username = 'anne';
  const repo = url.toString();
  const src = join(dir, 'Boutique');
  await mkdir(join(src, 'sous dossier'), { recursive: true });
  await writeFile(join(src, 'sous dossier', 'été.txt'), 'soleil');
  await writeFile(join(src, 'base.db'), randomBytes(1024 * 1024));
  const env = cliEnv({ REMPART_PASSPHRASE: 'pw', REMPART_WEBDAV_PASSWORD: 'mot de passe', REMPART_CACHE_DIR: join(dir, 'cache') });

  const init = await runCli(['init', '--repo', repo], env);
  assert.equal(init.code, 0, init.stderr);
  const b = await runCli(['backup', '--repo', repo, src], env);
  assert.equal(b.code, 0, b.stderr);
  const out = join(dir, 'out');
  const r = await runCli(['restore', '--repo', repo, 'latest', '--target', out], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(join(out, 'Boutique', 'sous dossier', 'été.txt'), 'utf8'), 'soleil');
  assert.ok((await readFile(join(out, 'Boutique', 'base.db'))).equals(await readFile(join(src, 'base.db'))));
  const c = await runCli(['check', '--repo', repo, '--read-data'], env);
  assert.equal(c.code, 0, c.stderr + c.stdout);

  const wrong = await runCli(['snapshots', '--repo', repo], { ...env, REMPART_WEBDAV_PASSWORD: 'faux' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^error AUTH_FAILED: /);
  assert.ok(!wrong.stderr.includes('faux') && !wrong.stderr.includes('mot de passe'), 'no password in messages');
});

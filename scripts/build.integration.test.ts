/**
 * scripts/build.mjs produces self-contained bundles: the preload requires nothing but electron, main and the browser-mode
 * entry import only Node built-ins and electron, and the browser-mode bundle really runs under plain Node (no tsx).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { waitFor } from '../test-support/tools.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
let out: string;

before(async () => {
  // Inside the checkout, like dist/: production dependencies loaded at run time with createRequire (archiver) resolve
  // from node_modules, exactly as they do from the packaged app (electron-builder ships "dependencies").
  await mkdir(join(repo, '.tmp'), { recursive: true });
  out = await mkdtemp(join(repo, '.tmp', 'build-test-'));
  const r = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--out', out, '--skip-renderer', '--quiet'], { cwd: repo, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(() => rm(out, { recursive: true, force: true }));

const builtin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

function imported(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/^import\s+(?:[^'"]+\s+from\s+)?["']([^"']+)["'];?$/gm)) names.add(m[1]!);
  for (const m of code.matchAll(/\brequire\(["']([^"']+)["']\)/g)) names.add(m[1]!);
  return [...names];
}

test('the sandboxed preload is CommonJS and requires only electron', async () => {
  const code = await readFile(join(out, 'electron/shell/preload.cjs'), 'utf8');
  assert.deepEqual(imported(code), ['electron']);
  assert.doesNotMatch(code, /^import /m);
  assert.match(code, /exposeInMainWorld\("rempart"/);
});

test('main, CLI and browser-mode bundles import only Node built-ins (and electron for main)', async () => {
  for (const [file, allowElectron] of [['electron/shell/main.js', true], ['electron/host/bridge/web-entry.js', false], ['electron/cli/main.js', false]] as const) {
    const code = await readFile(join(out, file), 'utf8');
    const foreign = imported(code).filter((n) => !builtin(n) && !(allowElectron && n === 'electron'));
    assert.deepEqual(foreign, [], file);
  }
});

test('every bundle parses (node --check): the ESM banner does not clash with bundled code', () => {
  for (const file of ['electron/shell/main.js', 'electron/shell/preload.cjs', 'electron/cli/main.js', 'electron/host/bridge/web-entry.js']) {
    const r = spawnSync(process.execPath, ['--check', join(out, file)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${file}: ${r.stderr}`);
  }
});

test('modules required at run time (createRequire) are production dependencies, so electron-builder ships them', async () => {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const file of ['electron/shell/main.js', 'electron/host/bridge/web-entry.js']) {
    const code = await readFile(join(out, file), 'utf8');
    const dynamic = [...code.matchAll(/createRequire\)?\(import\.meta\.url\)\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
    for (const name of dynamic.filter((n) => !builtin(n))) assert.ok(name in pkg.dependencies, `${file} loads ${name} at run time but it is not in "dependencies"`);
  }
});

test('the browser-mode bundle runs under plain Node and answers with the token', async () => {
  const ui = join(out, 'ui');
  await mkdir(ui);
  await writeFile(join(ui, 'index.html'), '<!doctype html><title>Rempart</title>');
  const entry = pathToFileURL(join(out, 'electron/host/bridge/web-entry.js')).href;
  const argv = ['--data-dir', join(out, 'app'), '--port', '0', '--static-dir', ui, '--drive-roots', join(out, 'media')];
  const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); process.exitCode = await m.main(${JSON.stringify(argv)});`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c));
  child.stderr.on('data', (c: Buffer) => (text += c));
  try {
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`browser-mode bundle exited: ${text}`);
      return /^http:\/\/127\.0\.0\.1:\S+$/m.test(text);
    }, 30_000);
    const url = new URL(text.match(/^http:\/\/127\.0\.0\.1:\S+$/m)![0]);
    const res = await fetch(`${url.origin}/api/getStatus`, { method: 'POST', headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
    const body = (await res.json()) as { ok: boolean; value: { configured: boolean } };
    assert.equal(body.ok, true);
    assert.equal(body.value.configured, false);
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

#!/usr/bin/env node
// npm run web — Rempart in the browser: the real host behind the loopback bridge (127.0.0.1, random token per launch).
//   npm run web -- [--data-dir DIR] [--port N] [--drive-roots DIR] [--open] [--test-hooks [--clock-start ISO]]
// Builds the renderer first when dist/renderer is missing. Runs the TypeScript sources through tsx when they are
// present (a checkout), otherwise the bundle made by `npm run build` (dist/electron/host/bridge/web-entry.js).
// Prints the address to open, token included, alone on a line starting with http://127.0.0.1:
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

export function ensureRenderer() {
  const index = join(root, 'dist', 'renderer', 'index.html');
  if (existsSync(index)) {
    // Never rebuilt behind a running server's back (parallel e2e workers share dist/): only a hint.
    const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'locales')));
    if (sources > statSync(index).mtimeMs) process.stderr.write('note: dist/renderer is older than renderer/ or locales/: run `npm run build` to refresh the UI\n');
    return;
  }
  process.stderr.write('Construction de l’interface (dist/renderer)… / building the UI…\n');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'renderer', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    process.stderr.write('La construction de l’interface a échoué / the UI build failed.\n');
    process.exit(r.status ?? 1);
  }
}

async function loadEntry() {
  const source = join(root, 'electron', 'host', 'bridge', 'web-entry.ts');
  if (existsSync(source)) {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(source).href);
  }
  const bundle = join(root, 'dist', 'electron', 'host', 'bridge', 'web-entry.js');
  if (!existsSync(bundle)) throw new Error(`neither ${source} nor ${bundle} exists: run npm run build`);
  return import(pathToFileURL(bundle).href);
}

if (!argv.includes('--help') && !argv.some((a) => a === '--static-dir' || a.startsWith('--static-dir='))) ensureRenderer();
const { main } = await loadEntry();
const args = argv.some((a) => a === '--static-dir' || a.startsWith('--static-dir=')) ? argv : [...argv, '--static-dir', join(root, 'dist', 'renderer')];
process.exitCode = await main(args);
// Timers left by libraries must not keep a stopped server alive.
setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();

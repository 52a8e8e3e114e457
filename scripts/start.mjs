#!/usr/bin/env node
// npm start — the desktop app. If the Electron binary is missing, tries to fetch it (node node_modules/electron/install.js,
// skipped by `npm install` here because .npmrc sets ignore-scripts). Where Electron cannot be obtained (no access to its
// download server), says so in French and English and starts browser mode instead (scripts/web.mjs --open).
// Otherwise builds what is missing or out of date (scripts/build.mjs) and launches Electron on this folder.
//   npm start [-- --hidden]            extra arguments go to the app (or to browser mode)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron'); // node_modules/electron/index.js: the binary's path, or throws when not installed
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function tryInstallElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return false;
  console.log('Téléchargement d’Electron… / downloading Electron…');
  const r = spawnSync(process.execPath, [installer], { cwd: join(root, 'node_modules', 'electron'), stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' });
  if (r.status !== 0) {
    const reason = (r.stderr || r.error?.message || '').split('\n').find((l) => /Error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(l));
    if (reason) console.log(`  (${reason.trim()})`);
  }
  return r.status === 0;
}

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

function buildIfNeeded() {
  const outputs = ['dist/electron/shell/main.js', 'dist/electron/shell/preload.cjs', 'dist/renderer/index.html'].map((p) => join(root, p));
  const missing = outputs.some((p) => !existsSync(p));
  const builtAt = missing ? 0 : Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sourcesAt = Math.max(...['electron', 'renderer', 'locales'].map((d) => newestMtime(join(root, d))));
  if (!missing && builtAt >= sourcesAt) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function run(cmd, argv, env = process.env) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let electron = electronBinary();
if (!electron && tryInstallElectron()) electron = electronBinary();

if (!electron) {
  console.log(
    [
      '',
      'Electron n’a pas pu être obtenu sur cette machine (son serveur de téléchargement est inaccessible).',
      'Rempart démarre donc dans votre navigateur : ouvrez l’adresse affichée ci-dessous (elle contient une clé d’accès).',
      '',
      'Electron could not be obtained on this machine (its download server cannot be reached).',
      'Starting Rempart in browser mode instead: open the address printed below (it contains an access token).',
      '',
    ].join('\n'),
  );
  run(process.execPath, [join(root, 'scripts', 'web.mjs'), '--open', ...args]);
} else {
  buildIfNeeded();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron, [root, ...args], env);
}

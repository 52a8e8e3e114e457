#!/usr/bin/env node
// npm run build — everything the desktop app and browser mode run, into dist/:
//   dist/electron/shell/main.js           Electron main process (ESM bundle; only `electron` stays external)
//   dist/electron/shell/preload.cjs       sandboxed preload (CommonJS, may require nothing but `electron`)
//   dist/electron/cli/main.js             the `rempart` command line (commands.js: its commands, loaded by it)
//   dist/electron/host/bridge/web-entry.js  browser mode (npm run web without tsx)
//   seal-thread.js next to each of them  the engine's pack-sealing worker thread
//   dist/renderer/                        the UI (vite)
// Options: --out DIR (default dist) · --skip-renderer · --quiet
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : fallback;
};
const out = option('--out', join(root, 'dist'));
const quiet = flag('--quiet');
const log = (msg) => quiet || console.log(msg);

// Bundled CommonJS dependencies call require() and read __dirname: give the ESM bundles both.
const esmBanner = [
  "import { createRequire as __rempartCreateRequire } from 'node:module';",
  "import { fileURLToPath as __rempartFileURLToPath } from 'node:url';",
  "import { dirname as __rempartDirname } from 'node:path';",
  'const require = __rempartCreateRequire(import.meta.url);',
  'const __filename = __rempartFileURLToPath(import.meta.url);',
  'const __dirname = __rempartDirname(__filename);',
].join('\n');

// `import http from 'node:http'` in an ES module makes Node build that module's namespace, which reads every export,
// among them the lazy WebSocket, CloseEvent and MessageEvent getters: they load Node's fetch implementation (undici) in
// every process and worker that loads the engine, ~2.5 MB resident (measured on a backup of one file). The ESM bundles
// take node:http through require() instead (the same object), so undici loads only where fetch is used.
const httpByRequire = {
  name: 'http-by-require',
  setup(b) {
    // the shim's own require stays external (resolving it here too would make the shim require itself)
    b.onResolve({ filter: /^(node:)?http$/ }, (a) => (a.namespace === 'http-by-require' ? undefined : { path: 'http', namespace: 'http-by-require' }));
    b.onLoad({ filter: /.*/, namespace: 'http-by-require' }, () => ({ loader: 'js', contents: "module.exports = require('node:http');" }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: quiet ? 'error' : 'warning',
  external: ['electron'],
  absWorkingDir: root,
  legalComments: 'none',
};

const esm = (entry, outfile) => ({ ...common, entryPoints: [join(root, entry)], outfile: join(out, outfile), format: 'esm', banner: { js: esmBanner }, plugins: [httpByRequire] });

const jobs = [
  esm('electron/shell/main.ts', 'electron/shell/main.js'),
  esm('electron/host/bridge/web-entry.ts', 'electron/host/bridge/web-entry.js'),
  {
    ...common,
    entryPoints: [join(root, 'electron/shell/preload.ts')],
    outfile: join(out, 'electron/shell/preload.cjs'),
    format: 'cjs',
  },
];
if (existsSync(join(root, 'electron/cli/main.ts'))) {
  // the entry (main thread: terminal, engine thread start) and the commands it loads on the thread that runs them
  jobs.push(esm('electron/cli/main.ts', 'electron/cli/main.js'), esm('electron/cli/commands.ts', 'electron/cli/commands.js'));
}

// The engine's worker threads that run a real module (archiver and the age code): built once next to every bundle
// that contains the engine, where `new URL('./<name>.js', import.meta.url)` finds them.
const engineBundleDirs = jobs.filter((j) => j.format === 'esm').map((j) => dirname(j.outfile));
for (const dir of engineBundleDirs) {
  jobs.push({ ...esm('electron/engine/repository/seal-thread.ts', ''), outfile: join(dir, 'seal-thread.js') });
}

const started = Date.now();
await Promise.all(jobs.map((job) => build(job)));
log(`bundled ${jobs.length} entries into ${out} in ${Date.now() - started} ms`);

if (!flag('--skip-renderer')) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(root, 'renderer', 'vite.config.ts'), '--outDir', join(out, 'renderer'), '--emptyOutDir', ...(quiet ? ['--logLevel', 'error'] : [])],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) {
    console.error('renderer build failed');
    process.exit(r.status ?? 1);
  }
  log(`renderer built into ${join(out, 'renderer')}`);
}

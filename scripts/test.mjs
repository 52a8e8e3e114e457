#!/usr/bin/env node
// Runs every suite (static checks, unit, integration, e2e) and prints, alone on its last line,
// the plain total "N passed, N failed". Exit code 1 if anything failed or a runner crashed.
//   node scripts/test.mjs [--only static|unit|integration|e2e]... [--filter SUBSTRING]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = new Set();
let filter = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--only') only.add(args[++i]);
  else if (args[i] === '--filter') filter = args[++i];
}
const want = (suite) => only.size === 0 || only.has(suite);
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(relative(root, p));
  }
  return out;
}
const testFiles = ['electron', 'renderer', 'scripts', 'bench', 'test-support']
  .filter((d) => existsSync(join(root, d)))
  .flatMap((d) => walk(join(root, d)))
  .filter((f) => /\.test\.tsx?$/.test(f))
  .filter((f) => !filter || f.includes(filter))
  .sort();
const unitFiles = testFiles.filter((f) => !f.includes('.integration.test.'));
const integrationFiles = testFiles.filter((f) => f.includes('.integration.test.'));

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(cmd, argv, opts = {}) {
  console.log(`\n$ ${cmd} ${argv.join(' ')}`.slice(0, 400));
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env }, timeout: opts.timeout });
  return r.status ?? 1;
}

function staticCheck(name, cmd, argv) {
  const status = run(cmd, argv);
  if (status === 0) totals.passed++;
  else totals.failed++;
  lines.push(`static ${name}: ${status === 0 ? 'ok' : 'FAILED'}`);
}

function nodeSuite(name, files, concurrency) {
  if (files.length === 0) return;
  const tap = join(tmp, `${name}-${process.pid}.tap`);
  // ESBUILD_WORKER_THREADS=0: tsx's synchronous transforms go to esbuild one call at a time instead of through esbuild's
  // worker thread, whose synchronous call can wait forever in Atomics.wait: a test file once hung 15 minutes at load,
  // idle, in CI (a known tsx/esbuild loader hang). Test loading only; the app and the CLI run built bundles.
  const status = run(process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=900000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { env: { ESBUILD_WORKER_THREADS: '0' } });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  let passed = num('pass'), failed = num('fail') + num('cancelled');
  const skipped = num('skipped') + num('todo');
  if (status !== 0 && failed === 0) failed = 1; // the runner itself crashed
  totals.passed += passed; totals.failed += failed; totals.skipped += skipped;
  lines.push(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped (${files.length} files)`);
}

function e2eSuite() {
  if (!existsSync(join(root, 'e2e', 'playwright.config.ts'))) return;
  const report = join(tmp, `e2e-${process.pid}.json`);
  const status = run(join(root, 'node_modules/.bin/playwright'), ['test', '--config', 'e2e/playwright.config.ts'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  let passed = 0, failed = 0, skipped = 0;
  try {
    const stats = JSON.parse(readFileSync(report, 'utf8')).stats;
    passed = stats.expected + (stats.flaky ?? 0);
    failed = stats.unexpected;
    skipped = stats.skipped;
  } catch { /* no report: counted below */ }
  if (status !== 0 && failed === 0) failed = 1;
  totals.passed += passed; totals.failed += failed; totals.skipped += skipped;
  lines.push(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

if (want('static')) {
  staticCheck('typecheck', join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  if (existsSync(join(root, 'renderer/tsconfig.json'))) staticCheck('typecheck-renderer', join(root, 'node_modules/.bin/tsc'), ['-p', 'renderer/tsconfig.json', '--noEmit']);
  if (existsSync(join(root, 'renderer/tsconfig.test.json'))) staticCheck('typecheck-renderer-tests', join(root, 'node_modules/.bin/tsc'), ['-p', 'renderer/tsconfig.test.json', '--noEmit']);
  if (existsSync(join(root, '.dependency-cruiser.cjs'))) staticCheck('layers', join(root, 'node_modules/.bin/depcruise'), ['electron', 'renderer', 'e2e', 'locales', '--config', '.dependency-cruiser.cjs']);
}
if (want('unit')) nodeSuite('unit', unitFiles, 2);
if (want('integration')) nodeSuite('integration', integrationFiles, 1);
if (want('e2e')) e2eSuite();

console.log('\n' + lines.join('\n'));
const skippedNote = totals.skipped ? ` (${totals.skipped} skipped)` : '';
console.log(`summary: static checks, unit, integration and e2e${skippedNote}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);

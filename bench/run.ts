/**
 * npm run bench [-- --scale 1] [--seed 42] [--skip-restic] [--keep] [--no-build] [--work DIR] [--runtime node24|system]
 * Times Rempart and restic (Debian package) on the same shop-like dataset, in the same run, phase by phase, and writes
 * bench/RESULTS.md. Ratios from one run are what count: the machine is shared and noisy.
 * Rempart's CLI runs on the project's own Node 24 (scripts/node-runtime.mjs: the Node of the app's Electron, with zstd),
 * installed on first use; `--runtime system` runs it on the Node running this script instead (Node 20: brotli blobs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateDataset, mutateOneDay } from './dataset.js';
import type { UploadResult } from './upload.js';
import { ensureNode24 } from '../scripts/node-runtime.mjs';

const root = new URL('..', import.meta.url).pathname;
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const scale = Number(arg('scale', '1'));
const seed = Number(arg('seed', '42'));
const skipRestic = process.argv.includes('--skip-restic');
const work = arg('work', join(root, 'bench', 'work')); // --work DIR: a private folder when several people bench at once
const data = join(work, 'data');
const PASS = 'bench-passphrase-not-secret';
/** Where the hand-written part of RESULTS.md starts: kept when a run rewrites the measured tables above it. */
const NOTES_HEADING = '## Other runs, and where the memory goes';
const runtime = arg('runtime', 'node24');
if (runtime !== 'node24' && runtime !== 'system') throw new Error(`--runtime ${runtime}: expected node24 or system`);
/** The Node binary Rempart's CLI runs on (resolved in main()). */
let rempartNode = process.execPath;
let rempartRuntime = '';

interface Measure { seconds: number; peakMB: number; }
const results: Record<string, Record<string, Measure & { storedBytes?: number }>> = { rempart: {}, restic: {} };

function timed(tool: string, phase: string, cmd: string, args: string[], env: Record<string, string>): Measure {
  // Each command starts with nothing dirty to write back: otherwise the first tool of a phase pays for the kernel flushing
  // what came before (the freshly generated gigabyte, the previous tool's repository writes) and the second does not.
  spawnSync('sync');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M', cmd, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = Number(/PEAK_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  if (r.status !== 0 && !(tool === 'rempart' && r.status === 3)) {
    console.error(r.stdout.slice(-2000), r.stderr.slice(-4000));
    throw new Error(`${tool} ${phase} failed with exit ${r.status}`);
  }
  console.log(`${tool.padEnd(8)} ${phase.padEnd(18)} ${seconds.toFixed(2).padStart(8)} s  peak ${peak.toFixed(0).padStart(5)} MB`);
  return { seconds, peakMB: peak };
}

function du(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}

/**
 * The built bundle, as the app ships it. bin/rempart.mjs would fall back to tsx (seconds of start-up) whenever any
 * engine source is newer than dist/, which is always true in a shared work tree: main() builds first instead.
 */
const rempartBin = join(root, 'dist', 'electron', 'cli', 'main.js');
const tools = {
  rempart: {
    repo: join(work, 'repo-rempart'),
    env: { REMPART_PASSPHRASE: PASS, REMPART_CACHE_DIR: join(work, 'cache-rempart') } as Record<string, string>,
    init(repo: string) { return [rempartNode, [rempartBin, 'init', '--repo', repo]] as const; },
    backup(repo: string) { return [rempartNode, [rempartBin, 'backup', '--repo', repo, data]] as const; },
    restore(repo: string, target: string) { return [rempartNode, [rempartBin, 'restore', '--repo', repo, 'latest', '--target', target]] as const; },
    check(repo: string) { return [rempartNode, [rempartBin, 'check', '--repo', repo, '--read-data']] as const; },
  },
  restic: {
    repo: join(work, 'repo-restic'),
    env: { RESTIC_PASSWORD: PASS, RESTIC_CACHE_DIR: join(work, 'cache-restic') } as Record<string, string>,
    init(repo: string) { return ['restic', ['init', '--repo', repo]] as const; },
    backup(repo: string) { return ['restic', ['backup', '--repo', repo, '--host', 'bench', data]] as const; },
    restore(repo: string, target: string) { return ['restic', ['restore', '--repo', repo, 'latest', '--target', target]] as const; },
    check(repo: string) { return ['restic', ['check', '--repo', repo, '--read-data']] as const; },
  },
};
type ToolName = keyof typeof tools;

/**
 * Rempart backs up the way the app does: with writer credentials only (`rempart key show-writer` → REMPART_WRITER_KEY),
 * which never run scrypt; restore and check use the passphrase. restic always uses its password.
 */
const backupEnv: Record<ToolName, Record<string, string>> = { rempart: {}, restic: {} };

function phase(name: string, fn: (tool: ToolName) => readonly [string, readonly string[]], measureStored = false, isBackup = false): void {
  for (const tool of (skipRestic ? ['rempart'] : ['rempart', 'restic']) as ToolName[]) {
    const [cmd, args] = fn(tool);
    const m = timed(tool, name, cmd, [...args], isBackup ? backupEnv[tool] : tools[tool].env);
    results[tool][name] = measureStored ? { ...m, storedBytes: du(tools[tool].repo) } : m;
  }
}

function machine(): string {
  const restic = spawnSync('restic', ['version'], { encoding: 'utf8' }).stdout.trim();
  return `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${restic}`;
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time') || (!skipRestic && spawnSync('restic', ['version']).status !== 0)) {
    console.error('The benchmark needs restic and GNU time: run scripts/install-test-deps.sh (as root) first.');
    process.exit(1);
  }
  if (!process.argv.includes('--no-build') || !existsSync(rempartBin)) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0 || !existsSync(rempartBin)) throw new Error('npm run build failed');
  }
  if (runtime === 'node24') {
    const bin = ensureNode24({ log: (m) => console.log(m) });
    if (!bin) throw new Error(`no project-installed Node 24 for ${process.platform}-${process.arch} (see scripts/node-runtime.mjs); use --runtime system`);
    rempartNode = bin;
  }
  // the codec rule of content/compression.ts preferredCodec(): zstd where zlib has it and frees its contexts (>= 24.15)
  const probe = spawnSync(rempartNode, ['-p', "const [M, m] = process.versions.node.split('.').map(Number); process.version + ' ' + (typeof require('node:zlib').zstdCompress === 'function' && (M >= 26 || (M === 24 && m >= 15)) ? 'zstd' : 'brotli')"], { encoding: 'utf8' });
  const [version, codec] = probe.stdout.trim().split(' ');
  rempartRuntime = `Node ${version} (${runtime === 'node24' ? 'project-installed, scripts/node-runtime.mjs' : 'system'}: ${rempartNode}); new blobs ${codec}`;
  console.log(`Rempart runs on ${rempartRuntime}`);
  rmSync(work, { recursive: true, force: true });
  // On an ext4 without a journal (this machine's), a new inode is not taken among those freed within the last minute (six
  // while their table block is dirty): creating thousands of files just after deleting thousands scans them one by one,
  // and the first restore of the run paid seconds of kernel time for it. Flushing makes the window one minute.
  spawnSync('sync');
  const cleanedAt = Date.now();
  mkdirSync(work, { recursive: true });
  console.log(`generating dataset (scale ${scale}, seed ${seed})…`);
  const info = generateDataset(data, scale, seed);
  console.log(`${info.files} files, ${(info.bytes / 1e6).toFixed(0)} MB`);
  for (const tool of Object.keys(tools) as ToolName[]) {
    if (skipRestic && tool === 'restic') continue;
    const [cmd, args] = tools[tool].init(tools[tool].repo);
    const r = spawnSync(cmd, [...args], { env: { ...process.env, ...tools[tool].env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} init failed: ${r.stderr}`);
    backupEnv[tool] = { ...tools[tool].env };
  }
  {
    const r = spawnSync(rempartNode, [rempartBin, 'key', 'show-writer', '--repo', tools.rempart.repo], { env: { ...process.env, ...tools.rempart.env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`rempart key show-writer failed: ${r.stderr}`);
    const { REMPART_PASSPHRASE: _pass, ...rest } = tools.rempart.env;
    backupEnv.rempart = { ...rest, REMPART_WRITER_KEY: r.stdout.trim() };
  }
  phase('first backup', (t) => tools[t].backup(tools[t].repo), true, true);
  phase('no-change backup', (t) => tools[t].backup(tools[t].repo), true, true);
  const day = mutateOneDay(data, 1, seed);
  console.log(`one day of business: ${day.pagesRewritten} database pages rewritten, ${(day.bytesChanged / 1e6).toFixed(1)} MB really changed`);
  phase('backup after 1 day', (t) => tools[t].backup(tools[t].repo), true, true);
  // Same reason: the tool restoring first must not be the only one to create its files within the minute after the
  // previous run's files were deleted.
  const quiet = 65_000 - (Date.now() - cleanedAt);
  if (quiet > 0) {
    console.log(`waiting ${(quiet / 1000).toFixed(0)} s: inodes freed by the cleanup are out of the allocator's way after a minute`);
    await new Promise((wake) => setTimeout(wake, quiet));
  }
  phase('full restore', (t) => {
    const target = join(work, `restore-${t}`);
    rmSync(target, { recursive: true, force: true });
    return tools[t].restore(tools[t].repo, target);
  });
  phase('check --read-data', (t) => tools[t].check(tools[t].repo));
  const restoredOk = spawnSync('diff', ['-r', '-q', data, join(work, 'restore-rempart', 'data')]).status === 0
    || spawnSync('diff', ['-r', '-q', data, join(work, 'restore-rempart')]).status === 0;
  let upload: UploadResult | null = null;
  // In a fresh process, like every other phase: the harness itself has just written 1 GB and holds a large heap.
  const up = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'upload.ts'), work, String(scale >= 0.5 ? 256 : 64)], { encoding: 'utf8' });
  if (up.status === 0) upload = JSON.parse(up.stdout.trim().split('\n').pop() ?? 'null') as UploadResult;
  else console.error('upload phase failed:', up.stderr.slice(-2000));
  writeResults(info, day, restoredOk, upload);
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}

function writeResults(info: { files: number; bytes: number }, day: { pagesRewritten: number; bytesChanged: number }, restoredOk: boolean, upload: UploadResult | null): void {
  const r = results.rempart, s = results.restic;
  const added = (x: typeof r) => (x['backup after 1 day']?.storedBytes ?? 0) - (x['no-change backup']?.storedBytes ?? 0);
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const rows = ['first backup', 'no-change backup', 'backup after 1 day', 'full restore', 'check --read-data'].map((p) => {
    const a = r[p], b = s[p];
    const ratio = a && b ? (a.seconds / b.seconds).toFixed(2) : '–';
    return `| ${p} | ${a?.seconds.toFixed(2) ?? '–'} s | ${b?.seconds.toFixed(2) ?? '–'} s | ${ratio} | ${a?.peakMB.toFixed(0) ?? '–'} MB | ${b?.peakMB.toFixed(0) ?? '–'} MB |`;
  });
  const goal = (ok: boolean) => (ok ? '✅' : '❌');
  const peakR = Math.max(...Object.values(r).map((m) => m.peakMB)), peakS = Math.max(0, ...Object.values(s).map((m) => m.peakMB));
  const lines = [
    '# Benchmark results', '',
    `Date: ${new Date().toISOString()}  `,
    `Machine: ${machine()}  `,
    `Rempart runtime: ${rempartRuntime.replace(root, '')} (\`--runtime ${runtime}\`; the app runs in Electron 41's Node 24).  `,
    `Dataset: scale ${scale}, seed ${seed}: ${info.files} files, ${mb(info.bytes)} MB; one day = ${day.pagesRewritten} database pages rewritten + new/edited/deleted documents (${mb(day.bytesChanged)} MB really changed).  `,
    `Command: \`npm run bench -- --scale ${scale}\`. Ratios come from this one run (the machine is shared: compare ratios, not absolute times); each timed command starts after a \`sync\`, Rempart first.  `,
    'Rempart backs up as the app does, with writer credentials only (`rempart key show-writer` → `REMPART_WRITER_KEY`: no scrypt); restore and check use the passphrase. restic uses its password throughout.', '',
    '| phase | Rempart | restic | time ratio (Rempart/restic) | Rempart peak RSS | restic peak RSS |', '|---|---|---|---|---|---|', ...rows, '',
    '| stored | Rempart | restic | ratio |', '|---|---|---|---|',
    `| after first backup | ${mb(r['first backup']?.storedBytes ?? 0)} MB | ${mb(s['first backup']?.storedBytes ?? 0)} MB | ${s['first backup'] ? ((r['first backup'].storedBytes ?? 0) / (s['first backup'].storedBytes ?? 1)).toFixed(2) : '–'} |`,
    `| **added by one day of business** | ${mb(added(r))} MB | ${mb(added(s))} MB | ${s['first backup'] ? (added(r) / Math.max(1, added(s))).toFixed(2) : '–'} |`, '',
    '## Goals', '',
    ...(s['first backup'] ? [
      `- ${goal(r['first backup'].seconds <= s['first backup'].seconds)} first backup at least as fast as restic`,
      `- ${goal(r['no-change backup'].seconds <= s['no-change backup'].seconds)} no-change backup no slower than restic`,
      `- ${goal(added(r) <= added(s) / 2)} bytes added after one day at most half of restic's`,
      `- ${goal(r['full restore'].seconds <= s['full restore'].seconds)} full restore at least as fast as restic`,
      `- ${goal(r['check --read-data'].seconds <= s['check --read-data'].seconds)} check --read-data at least as fast as restic`,
      `- ${goal(peakR < peakS)} peak memory below restic's (${peakR.toFixed(0)} MB vs ${peakS.toFixed(0)} MB)`,
    ] : ['- restic skipped in this run']),
    `- ${goal(restoredOk)} the full restore is byte-identical to the dataset (diff -r)`, '',
    ...(upload ? ['## Upload to a loopback Apache WebDAV server', '', ...upload.lines, ''] : []),
  ];
  // The hand-written notes (from NOTES_HEADING to the end: other runs, measurements by hand) are kept from the previous file.
  const resultsFile = join(root, 'bench', 'RESULTS.md');
  const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  const notesAt = previous.indexOf(`\n${NOTES_HEADING}`);
  const notes = notesAt >= 0 ? previous.slice(notesAt + 1) : '';
  writeFileSync(resultsFile, lines.join('\n') + '\n' + (notes ? `\n${notes.trimEnd()}\n` : ''));
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

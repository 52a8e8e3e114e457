/**
 * The CLI's command runs on the engine thread (engine-thread.ts) while the main thread keeps the terminal: Ctrl-C reaches
 * a running backup, which stops cleanly; a hidden prompt is asked on the real terminal (a pseudo-terminal from
 * `script`); the command's exit code is the process's; REMPART_ENGINE_THREAD=0 runs the same command on the main thread; a
 * reader that stops early (`| head`) ends the output quietly.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, collect, jsonLines, REMPART_BIN, runCli, spawnCli } from '../../test-support/rempart-cli.js';

let dir: string;
let repo: string;
let src: string;
const PASS = 'engine-thread-pass';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-engine-thread-'));
  repo = join(dir, 'repo');
  src = join(dir, 'Caisse');
  await mkdir(src);
  // enough incompressible data for a backup to be interrupted while it reads
  for (let i = 0; i < 12; i++) await writeFile(join(src, `export-${i}.bin`), randomBytes(16 * 1024 * 1024));
  const init = await runCli(['init', '--repo', repo], cliEnv({ REMPART_PASSPHRASE: PASS }));
  assert.equal(init.code, 0, init.stderr);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('Ctrl-C during a backup: the run stops cleanly (CANCELLED, exit 1), the repository checks clean, the next backup completes', async () => {
  const env = cliEnv({ REMPART_PASSPHRASE: PASS, REMPART_CACHE_DIR: join(dir, 'cache') });
  const child = spawnCli(['backup', '--repo', repo, '--json', src], env);
  const result = collect(child);
  // interrupt once the run reads files (its first progress line of the backing-up phase)
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (/"phase":"backing-up"/.test(seen)) resolve();
    });
    child.on('close', () => reject(new Error(`the backup ended before it could be interrupted: ${seen}`)));
  });
  child.kill('SIGINT');
  const r = await result;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cancelling/);
  assert.match(r.stderr, /CANCELLED/);
  assert.equal(jsonLines(r.stdout).some((l) => l.type === 'summary'), false, 'no snapshot was saved');
  const check = await runCli(['check', '--repo', repo], env);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const again = await runCli(['backup', '--repo', repo, '--json', src], env);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(jsonLines(again.stdout).some((l) => l.type === 'summary'));
});

test('a hidden prompt on a real terminal: asked by the main thread, not echoed, answered to the command', async () => {
  // `script` gives the CLI a pseudo-terminal; the passphrase is typed once the question shows
  const cmd = [process.execPath, REMPART_BIN, 'snapshots', '--repo', repo].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: cliEnv({ REMPART_PASSPHRASE: undefined }), stdio: ['pipe', 'pipe', 'pipe'] });
  const result = collect(child);
  let typed = false;
  child.stdout!.on('data', (d: Buffer) => {
    if (!typed && d.toString().includes('Passphrase: ')) {
      typed = true;
      child.stdin!.write(`${PASS}\r`);
    }
  });
  const r = await result;
  child.stdin!.destroy();
  assert.ok(typed, `no prompt seen: ${r.stdout} ${r.stderr}`);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /snapshot\(s\)/);
  assert.doesNotMatch(r.stdout, new RegExp(PASS), 'the passphrase is not echoed');
});

test('without a terminal and without a secret: the question cannot be asked, a plain usage error', async () => {
  const r = await runCli(['snapshots', '--repo', repo], cliEnv({ REMPART_PASSPHRASE: undefined }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no secret given and no terminal to ask on: set REMPART_PASSPHRASE/);
});

test('REMPART_ENGINE_THREAD=0 runs the same command on the main thread, with the same result', async () => {
  const env = cliEnv({ REMPART_PASSPHRASE: PASS });
  const [threaded, inline] = await Promise.all([
    runCli(['snapshots', '--repo', repo, '--json'], env),
    runCli(['snapshots', '--repo', repo, '--json'], { ...env, REMPART_ENGINE_THREAD: '0' }),
  ]);
  assert.equal(threaded.code, 0, threaded.stderr);
  assert.equal(inline.code, 0, inline.stderr);
  assert.deepEqual(jsonLines(threaded.stdout), jsonLines(inline.stdout));
});

test('a reader that stops early (| head): the listing ends quietly, exit 0, no EPIPE stack, on either thread', async () => {
  const many = join(dir, 'Factures');
  await mkdir(many);
  for (let i = 0; i < 4000; i++) await writeFile(join(many, `facture-${String(i).padStart(5, '0')}.txt`), '');
  const env = cliEnv({ REMPART_PASSPHRASE: PASS, REMPART_CACHE_DIR: join(dir, 'cache') });
  const b = await runCli(['backup', '--repo', repo, many], env);
  assert.equal(b.code, 0, b.stderr);
  for (const thread of ['1', '0']) {
    const child = spawnCli(['ls', '--repo', repo, 'latest'], { ...env, REMPART_ENGINE_THREAD: thread });
    const result = collect(child);
    let first = '';
    // the listing (~200 KB) is larger than a pipe's buffer: closing after the first bytes makes later writes fail
    child.stdout!.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout!.destroy();
    });
    const r = await result;
    assert.match(first, /Factures/);
    assert.equal(r.code, 0, `REMPART_ENGINE_THREAD=${thread}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  }
});

/**
 * kill -9 the real CLI at random moments of a backup, many times; then `check` passes, the next backup completes,
 * and a restore is byte-identical to the sources.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, stat, readdir } from 'node:fs/promises';
import { randomBytes, randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree } from '../../../test-support/file-tree.js';
import { cliEnv, collect, runCli, spawnCli } from '../../../test-support/rempart-cli.js';

const KILLS = Number(process.env.REMPART_CRASH_KILLS ?? 22);
let dir: string;
let src: string;
let repo: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-crash-'));
  src = join(dir, 'Magasin');
  repo = join(dir, 'repo');
  env = cliEnv({ REMPART_PASSPHRASE: 'crash test', REMPART_CACHE_DIR: join(dir, 'cache') });
  await mkdir(join(src, 'factures'), { recursive: true });
  for (let i = 0; i < 60; i++) await writeFile(join(src, 'factures', `facture ${i}.txt`), `Facture ${i}\n${'x'.repeat(i * 100)}`);
  await writeFile(join(src, 'base.db'), randomBytes(6 * 1024 * 1024));
  await writeFile(join(src, 'photos.bin'), randomBytes(5 * 1024 * 1024));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test(`kill -9 during backups (${KILLS} times): check passes, next backup completes, restore is identical`, async () => {
  const init = await runCli(['init', '--repo', repo, '--pack-size', '4'], env);
  assert.equal(init.code, 0, init.stderr);

  const full = await runCli(['backup', '--repo', repo, src], env);
  assert.equal(full.code, 0, full.stderr);

  // new and changed data each round, so every run has packs to write
  const mutate = async (round: number) => {
    await writeFile(join(src, `nouveau ${round}.bin`), randomBytes(randomInt(1, 4) * 1024 * 1024));
    await writeFile(join(src, 'base.db'), randomBytes(64 * 1024), { flag: 'r+' });
  };
  // Time the work of one incremental backup, from its first progress line (lock held, scanning) to its exit.
  const timed = (args: string[]) => {
    const child = spawnCli(args, env);
    const started = new Promise<number>((resolve) => child.stdout!.once('data', () => resolve(Date.now())));
    return { child, started, done: collect(child) };
  };
  await mutate(-1);
  const probe = timed(['backup', '--repo', repo, '--json', src]);
  const inc = await probe.done;
  assert.equal(inc.code, 0, inc.stderr);
  const span = Date.now() - (await probe.started);
  if (process.env.REMPART_DEBUG) console.log(`incremental backup works for ${span} ms`);

  let killed = 0;
  let completed = 0;
  for (let round = 0; killed < KILLS && round < KILLS * 3; round++) {
    await mutate(round);
    const { child, started, done } = timed(['backup', '--repo', repo, '--json', src]);
    let timer: NodeJS.Timeout | undefined;
    void started.then(() => {
      timer = setTimeout(() => child.kill('SIGKILL'), randomInt(0, Math.max(50, span)));
    });
    const r = await done;
    clearTimeout(timer);
    if (r.signal === 'SIGKILL') killed++;
    else {
      assert.equal(r.code, 0, `round ${round}: ${r.stderr}`);
      completed++;
    }
  }
  assert.equal(killed, KILLS, `only ${killed} runs were killed (${completed} completed)`);

  const check = await runCli(['check', '--repo', repo], env);
  assert.equal(check.code, 0, check.stderr + check.stdout);
  const next = await runCli(['backup', '--repo', repo, src], env);
  assert.equal(next.code, 0, next.stderr);
  // the killed runs' temporary files (backup-spool.ts) are gone from the local cache
  const left = (await readdir(join(dir, 'cache'), { recursive: true })).filter((f) => f.endsWith('.spool'));
  assert.deepEqual(left, []);
  const checkData = await runCli(['check', '--repo', repo, '--read-data'], env);
  assert.equal(checkData.code, 0, checkData.stderr + checkData.stdout);

  const out = join(dir, 'restored');
  const rest = await runCli(['restore', '--repo', repo, 'latest', '--target', out], env);
  assert.equal(rest.code, 0, rest.stderr);
  const want = await readTree(src);
  const got = await readTree(join(out, 'Magasin'));
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  for (const [p, buf] of want) assert.ok(buf.equals(got.get(p)!), `content of ${p}`);
  // no temporary files left visible in the restore
  assert.ok(![...got.keys()].some((p) => p.includes('.rempart-')));
  assert.ok((await stat(join(out, 'Magasin', 'base.db'))).size === 6 * 1024 * 1024);
});

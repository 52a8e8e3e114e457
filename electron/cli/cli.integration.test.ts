/**
 * The CLI contract beyond backup/restore: write-only backups with REMPART_WRITER_KEY, passwd (recovery key stays valid),
 * forget --prune, check finding a damaged pack (exit 1), --json output, exit codes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, readdir, readFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, jsonLines, runCli } from '../../test-support/rempart-cli.js';

let dir: string;
let repo: string;
let src: string;
let env: NodeJS.ProcessEnv;
let recoveryKey: string;

async function packFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(join(repo, 'data'))) for (const f of await readdir(join(repo, 'data', sub))) out.push(join(repo, 'data', sub, f));
  return out;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-cli-'));
  repo = join(dir, 'repo');
  src = join(dir, 'Docs');
  await mkdir(src);
  await writeFile(join(src, 'a.txt'), 'alpha');
  env = cliEnv({ REMPART_PASSPHRASE: 'première', REMPART_CACHE_DIR: join(dir, 'cache') });
  const init = await runCli(['init', '--repo', repo, '--json'], env);
  assert.equal(init.code, 0, init.stderr);
  recoveryKey = (jsonLines(init.stdout)[0] as { recoveryKey: string }).recoveryKey;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('write-only: key show-writer, then backup with REMPART_WRITER_KEY; restore refused without the secret', async () => {
  const k = await runCli(['key', 'show-writer', '--repo', repo], env);
  assert.equal(k.code, 0, k.stderr);
  const writerEnv = cliEnv({ REMPART_WRITER_KEY: k.stdout.trim(), REMPART_CACHE_DIR: join(dir, 'cache-w') });
  const b = await runCli(['backup', '--repo', repo, src], writerEnv);
  assert.equal(b.code, 0, b.stderr);
  const snaps = await runCli(['snapshots', '--repo', repo, '--json'], writerEnv);
  assert.equal(JSON.parse(snaps.stdout).length, 1);
  const r = await runCli(['restore', '--repo', repo, 'latest', '--target', join(dir, 'out')], { ...writerEnv, REMPART_PASSPHRASE: undefined });
  assert.equal(r.code, 1);
});

test('passwd: the new passphrase opens, the old does not, the recovery key still does', async () => {
  const p = await runCli(['passwd', '--repo', repo], { ...env, REMPART_NEW_PASSPHRASE: 'deuxième' });
  assert.equal(p.code, 0, p.stderr);
  const old = await runCli(['snapshots', '--repo', repo], env);
  assert.match(old.stderr, /^error WRONG_PASSPHRASE/);
  const next = await runCli(['snapshots', '--repo', repo], { ...env, REMPART_PASSPHRASE: 'deuxième' });
  assert.equal(next.code, 0, next.stderr);
  const rk = cliEnv({ REMPART_RECOVERY_KEY: recoveryKey, REMPART_CACHE_DIR: join(dir, 'cache') });
  const r = await runCli(['restore', '--repo', repo, 'latest', '--target', join(dir, 'out-rk')], rk);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(join(dir, 'out-rk', 'Docs', 'a.txt'), 'utf8'), 'alpha');
  env = { ...env, REMPART_PASSPHRASE: 'deuxième' };
});

test('forget --keep-last 1 --prune removes old snapshots and their packs', async () => {
  await writeFile(join(src, 'b.txt'), 'beta');
  assert.equal((await runCli(['backup', '--repo', repo, src], env)).code, 0);
  await rm(join(src, 'a.txt'));
  await rm(join(src, 'b.txt'));
  await writeFile(join(src, 'c.txt'), 'gamma');
  assert.equal((await runCli(['backup', '--repo', repo, src], env)).code, 0);
  // the three snapshots were taken minutes apart: keeping those within an hour of the newest keeps them all (dry run)
  const within = await runCli(['forget', '--repo', repo, '--keep-within-hours', '1', '--dry-run', '--json'], env);
  assert.equal(within.code, 0, within.stderr);
  assert.deepEqual((jsonLines(within.stdout).find((l) => l.type === 'summary') as { removed: string[] }).removed, []);
  const f = await runCli(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--json'], env);
  assert.equal(f.code, 0, f.stderr);
  const sum = jsonLines(f.stdout).find((l) => l.type === 'summary') as { kept: string[]; removed: string[] };
  assert.equal(sum.kept.length, 1);
  assert.equal(sum.removed.length, 2);
  const snaps = JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'], env)).stdout) as unknown[];
  assert.equal(snaps.length, 1);
  assert.equal((await runCli(['check', '--repo', repo, '--read-data'], env)).code, 0);
});

test('check finds a damaged pack: exit 1 with the problem listed', async () => {
  for (const pack of await packFiles()) {
    const fh = await open(pack, 'r+');
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, 100);
    b[0] ^= 0xff;
    await fh.write(b, 0, 1, 100);
    await fh.close();
  }
  const c = await runCli(['check', '--repo', repo], env);
  assert.equal(c.code, 1, c.stdout);
  assert.match(c.stderr, /problem pack-hash/);
  const j = await runCli(['check', '--repo', repo, '--json'], env);
  const lines = jsonLines(j.stdout);
  assert.ok(lines.some((l) => l.type === 'problem'));
  assert.equal((lines.find((l) => l.type === 'summary') as { ok: boolean }).ok, false);
});

test('usage: unknown command, missing --repo, help', async () => {
  assert.equal((await runCli(['frobnicate'], env)).code, 1);
  const m = await runCli(['snapshots'], { ...env, REMPART_REPOSITORY: undefined });
  assert.equal(m.code, 1);
  assert.match(m.stderr, /^error INVALID_INPUT: missing --repo/);
  const h = await runCli(['--help'], env);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /rempart restore/);
});

test('a folder that is no repository says so first, even before asking for a secret', async () => {
  const empty = join(dir, 'not-a-repo');
  await mkdir(empty);
  const r = await runCli(['snapshots', '--repo', empty], cliEnv({ REMPART_PASSPHRASE: undefined }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error NOT_A_REPOSITORY: /m);
  assert.doesNotMatch(r.stderr, /no secret given/);
});

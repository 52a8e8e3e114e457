/**
 * End to end through the real `rempart` process: init → backup → mutate → backup → restore, every byte compared.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, rm, readFile, readdir, lstat, readlink, utimes, appendFile, chmod } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cliEnv, collect, jsonLines, runCli, spawnCli } from '../../../test-support/rempart-cli.js';

let dir: string;
let src: string;
let repo: string;
let env: NodeJS.ProcessEnv;
const LONG = `${'é'.repeat(125)}.txt`; // 254 bytes

interface Node {
  type: 'file' | 'dir' | 'symlink';
  sha?: string;
  mtimeMs?: number;
  target?: string;
}

/** Every entry under root (relative path → type, content hash, mtime, link target). */
async function tree(root: string): Promise<Map<string, Node>> {
  const out = new Map<string, Node>();
  const walk = async (d: string) => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      const rel = relative(root, p);
      const st = await lstat(p);
      if (st.isSymbolicLink()) out.set(rel, { type: 'symlink', target: await readlink(p) });
      else if (st.isDirectory()) {
        out.set(rel, { type: 'dir', mtimeMs: Math.floor(st.mtimeMs) });
        await walk(p);
      } else out.set(rel, { type: 'file', sha: createHash('sha256').update(await readFile(p)).digest('hex'), mtimeMs: Math.floor(st.mtimeMs) });
    }
  };
  await walk(root);
  return out;
}

async function backupJson(sources: string[], extra: string[] = []) {
  const r = await runCli(['backup', '--repo', repo, '--json', ...extra, ...sources], env);
  const lines = jsonLines(r.stdout);
  const summary = lines.find((l) => l.type === 'summary') as { snapshot: { id: string; summary: { bytesRead: number } } } | undefined;
  return { r, lines, summary };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-e2e-'));
  src = join(dir, 'Boutique');
  repo = join(dir, 'repo');
  env = cliEnv({ REMPART_PASSPHRASE: 'correct horse', REMPART_CACHE_DIR: join(dir, 'cache') });
  let deep = join(src, 'profond');
  for (let i = 0; i < 40; i++) deep = join(deep, `dossier numéro ${i}`);
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'tout au fond.txt'), 'fond');
  await mkdir(join(src, 'Compta', 'vide'), { recursive: true });
  await writeFile(join(src, 'Compta', 'ventes 2024.db'), randomBytes(3 * 1024 * 1024));
  await writeFile(join(src, 'Compta', 'rapport.txt'), 'ligne de compte\n'.repeat(50_000));
  await writeFile(join(src, 'vide.txt'), '');
  await writeFile(join(src, 'Crème brûlée 🍰 été.txt'), 'miam');
  await writeFile(join(src, LONG), 'nom long');
  await writeFile(join(src, 'avec  espaces .txt'), 'espaces');
  await symlink('Compta/rapport.txt', join(src, 'lien relatif'));
  await symlink('/nulle/part', join(src, 'lien cassé'));
  await utimes(join(src, 'vide.txt'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('backup → mutate → backup → restore, byte for byte, through the CLI', async () => {
  const init = await runCli(['init', '--repo', repo], env);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /AGE-SECRET-KEY-1[0-9A-Z]+/);

  const first = await backupJson([src]);
  assert.equal(first.r.code, 0, first.r.stderr);
  assert.ok(first.summary, first.r.stdout);
  const before1 = await tree(src);

  // mutate: edit, add, delete, rename; leave the big database alone
  await appendFile(join(src, 'Compta', 'rapport.txt'), 'nouvelle ligne\n');
  await writeFile(join(src, 'nouveau 🆕.txt'), randomBytes(1000));
  await rm(join(src, 'avec  espaces .txt'));
  const second = await backupJson([src]);
  assert.equal(second.r.code, 0, second.r.stderr);
  const rapportSize = (await lstat(join(src, 'Compta', 'rapport.txt'))).size;
  assert.equal(second.summary!.snapshot.summary.bytesRead, rapportSize + 1000, 'only changed and new files are read again');
  const before2 = await tree(src);

  const snaps = await runCli(['snapshots', '--repo', repo, '--json'], env);
  assert.equal(snaps.code, 0, snaps.stderr);
  const list = JSON.parse(snaps.stdout) as { id: string }[];
  assert.equal(list.length, 2);

  const diff = await runCli(['diff', '--repo', repo, list[0].id, list[1].id, '--json'], env);
  assert.deepEqual(JSON.parse(diff.stdout), {
    added: ['Boutique/nouveau 🆕.txt'],
    removed: ['Boutique/avec  espaces .txt'],
    modified: ['Boutique/Compta/rapport.txt'],
  });

  const ls = await runCli(['ls', '--repo', repo, 'latest', '--json'], env);
  const paths = jsonLines(ls.stdout).map((e) => e.path);
  assert.ok(paths.includes(`Boutique/${LONG}`));
  assert.ok(paths.includes('Boutique/Compta/vide'));

  for (const [snap, expected] of [
    [list[0].id, before1],
    ['latest', before2],
  ] as const) {
    // the first one also compares every restored file with its recorded sha256 (--verify)
    const out = join(dir, `restored-${snap}`);
    const r = await runCli(['restore', '--repo', repo, snap, '--target', out, ...(snap === 'latest' ? [] : ['--verify'])], env);
    assert.equal(r.code, 0, r.stderr);
    const got = await tree(join(out, 'Boutique'));
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
    for (const [p, n] of expected) {
      const g = got.get(p)!;
      assert.equal(g.type, n.type, p);
      assert.equal(g.sha, n.sha, p);
      assert.equal(g.target, n.target, p);
      // Node sets times through a float of seconds: allow the last millisecond to round
      if (n.mtimeMs !== undefined) assert.ok(Math.abs(g.mtimeMs! - n.mtimeMs) <= 1, `mtime of ${p}: ${g.mtimeMs} vs ${n.mtimeMs}`);
    }
  }

  // a partial restore
  const part = join(dir, 'partial');
  const pr = await runCli(['restore', '--repo', repo, 'latest', '--target', part, '--include', 'Boutique/Compta'], env);
  assert.equal(pr.code, 0, pr.stderr);
  assert.deepEqual((await readdir(join(part, 'Boutique'))).sort(), ['Compta']);

  // restore to the original place: a locally modified file is kept aside, an identical one left alone
  await writeFile(join(src, 'Crème brûlée 🍰 été.txt'), 'modifié localement');
  const orig = await runCli(['restore', '--repo', repo, 'latest', '--target', 'original', '--json'], env);
  assert.equal(orig.code, 0, orig.stderr);
  const sum = jsonLines(orig.stdout).find((l) => l.type === 'summary') as { keptAside: { path: string; keptAs: string }[]; unchanged: number };
  assert.equal(sum.keptAside.length, 1);
  assert.equal(await readFile(join(src, 'Crème brûlée 🍰 été.txt'), 'utf8'), 'miam');
  assert.equal(await readFile(sum.keptAside[0].keptAs, 'utf8'), 'modifié localement');
  assert.match(sum.keptAside[0].keptAs, /Crème brûlée 🍰 été \(avant restauration \d{4}-\d\d-\d\d \d\dh\d\d\)\.txt$/);
  assert.ok(sum.unchanged > 5);

  const check = await runCli(['check', '--repo', repo, '--read-data'], env);
  assert.equal(check.code, 0, check.stderr + check.stdout);
});

test('wrong passphrase: one plain line with the code, exit 1, no stack', async () => {
  const r = await runCli(['snapshots', '--repo', repo], { ...env, REMPART_PASSPHRASE: 'wrong' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'error WRONG_PASSPHRASE: the passphrase does not open this repository');
});

test('not a repository, and usage errors', async () => {
  const empty = join(dir, 'empty');
  await mkdir(empty);
  const r = await runCli(['snapshots', '--repo', empty], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error NOT_A_REPOSITORY: /);
  const u = await runCli(['backup', '--repo', repo, '--bogus', src], env);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /^error INVALID_INPUT: /);
});

test('a file vanishing or unreadable during the run: exit 3, listed; the rest is saved', async () => {
  const s2 = join(dir, 'Atelier');
  await mkdir(s2);
  await writeFile(join(s2, 'a-gros.bin'), randomBytes(48 * 1024 * 1024));
  await writeFile(join(s2, 'b-disparait.txt'), 'bientôt parti');
  await writeFile(join(s2, 'c-reste.txt'), 'reste');
  execFileSync('mkfifo', [join(s2, 'd-tube')]);
  const child = spawnCli(['backup', '--repo', repo, '--json', s2], env);
  let removed = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    if (!removed && d.includes('"phase":"backing-up"')) {
      removed = true;
      void rm(join(s2, 'b-disparait.txt'));
    }
  });
  const r = await collect(child);
  assert.ok(removed, 'the backup reported its backing-up phase');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /skipped Atelier\/b-disparait\.txt: vanished/);
  assert.match(r.stderr, /skipped Atelier\/d-tube: unsupported-type/);
  const ls = await runCli(['ls', '--repo', repo, 'latest', '--json'], env);
  const paths = jsonLines(ls.stdout).map((e) => e.path);
  assert.ok(paths.includes('Atelier/c-reste.txt'));
  assert.ok(!paths.includes('Atelier/b-disparait.txt'));
  await chmod(join(s2, 'c-reste.txt'), 0o644);
});

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { labelSources, MAX_ENTRIES_AHEAD, scanConcurrently, scanSources } from './scan.js';
import { Minimatch } from 'minimatch';
import { DEFAULT_EXCLUDES, ExcludeMatcher } from './excludes.js';
import type { SkippedItem } from '../api.js';
import { isRempartError } from '../base/errors.js';

const isRoot = process.getuid?.() === 0;

describe('labelSources', () => {
  test('labels by basename, de-duplicated case-insensitively', () => {
    const l = labelSources(['/a/Documents', '/b/Documents', '/c/documents', '/d/Compta/']);
    assert.deepEqual(
      l.map((s) => s.label),
      ['Documents', 'Documents-2', 'documents-3', 'Compta'],
    );
    assert.equal(l[3].root, '/d/Compta');
  });
  test('the filesystem root gets a usable label', () => {
    assert.equal(labelSources(['/'])[0].label, 'root');
  });
});

describe('ExcludeMatcher', () => {
  const t = (rel: string, isDir = false) => ({ rel, snapshotPath: `Src/${rel}`, absolute: `/home/a/Src/${rel}`, isDir });
  test('default excludes: OS junk and Office lock files, at any depth', () => {
    const m = new ExcludeMatcher([], { nocase: true });
    for (const p of ['Thumbs.db', 'x/thumbs.db', 'desktop.ini', 'a/.DS_Store', 'b/c/x.tmp', '~$ventes.docx', 'd/~$Compta.xlsx'])
      assert.equal(m.excludes(t(p)), true, p);
    for (const p of ['ventes.docx', 'tmp', 'Compta.xlsx', 'notes.tmp.txt']) assert.equal(m.excludes(t(p)), false, p);
  });
  test('user globs: basename, relative path, label path, absolute, dir-only', () => {
    const m = new ExcludeMatcher(['*.bak', 'Cache/', 'Compta/old/**', 'Src/Photos/raw', '/home/a/Src/secret.txt', '**/node_modules'], {
      defaults: false,
    });
    assert.equal(m.excludes(t('a/b/c.bak')), true);
    assert.equal(m.excludes(t('x/Cache', true)), true);
    assert.equal(m.excludes(t('x/Cache', false)), false, 'dir-only rule ignores files');
    assert.equal(m.excludes(t('Compta/old/2019/a.pdf')), true);
    assert.equal(m.excludes(t('Compta/new/a.pdf')), false);
    assert.equal(m.excludes(t('Photos/raw', true)), true);
    assert.equal(m.excludes(t('secret.txt')), true);
    assert.equal(m.excludes(t('p/q/node_modules', true)), true);
    assert.equal(m.excludes(t('', true)), false, 'a source root is never excluded');
  });
  test('name rules decide as minimatch.match does, for tricky names and patterns, with and without case', () => {
    const patterns = [...DEFAULT_EXCLUDES.map((p) => p.replace(/\/$/, '')), '*', '.*', '*.[bB]ak', '?.txt', '{a,b}.log', 'Facture*', '*é*', '!x']; // ('#…' is a comment line, not a rule)
    const names = ['Thumbs.db', 'THUMBS.DB', '.DS_Store', 'x.tmp', '.tmp', 'a.tmp.txt', '~$ventes.docx', '~$Plan.xlsm', '.~lock.a.odt#', '.~lock.b',
      '$RECYCLE.BIN', 'System Volume Information', 'a.bak', 'a.Bak', 'a.BAK', 'x.txt', 'xy.txt', 'a.log', 'c.log', 'Facture 001 – Élodie.pdf',
      'facture.pdf', 'été.jpg', '!x', '#y', 'emoji 🙂.txt', ' lead space', ''];
    for (const nocase of [true, false]) {
      for (const pattern of patterns) {
        const ours = new ExcludeMatcher([pattern], { defaults: false, nocase });
        const reference = new Minimatch(pattern, { dot: true, nocase, nocomment: true, nonegate: true });
        for (const name of names) {
          if (name === '') continue; // the root itself: never excluded
          assert.equal(ours.excludes(t(`d/${name}`)), reference.match(name), `${pattern} on ${JSON.stringify(name)}, nocase ${nocase}`);
        }
      }
    }
  });
});

describe('scanSources', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rempart-scan-'));
  });
  after(async () => {
    await chmod(join(dir, 'src', 'locked'), 0o755).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  test('odd names, empty files and dirs, symlinks kept as links, excludes, skipped items', async () => {
    const src = join(dir, 'src');
    const long = 'é'.repeat(127) + 'x'; // 255 bytes
    let deep = join(src, 'deep');
    for (let i = 0; i < 30; i++) deep = join(deep, `niveau ${i}`);
    await mkdir(deep, { recursive: true });
    await writeFile(join(deep, 'fond.txt'), 'bottom');
    await mkdir(join(src, 'vide'), { recursive: true });
    await writeFile(join(src, 'vide.txt'), '');
    await writeFile(join(src, 'Crème brûlée 🍰.txt'), 'miam');
    await writeFile(join(src, long), 'long');
    await writeFile(join(src, 'Thumbs.db'), 'junk');
    await writeFile(join(src, 'a.log'), 'log');
    await symlink('/etc/passwd', join(src, 'lien-dehors'));
    await symlink('vide', join(src, 'lien-dossier'));
    await mkdir(join(src, 'locked'));
    await writeFile(join(src, 'locked', 'secret'), 's');
    await chmod(join(src, 'locked'), 0o000);
    execFileSync('mkfifo', [join(src, 'tube')]);
    const skipped: SkippedItem[] = [];
    const roots = labelSources([src]);
    const r = await scanSources(roots, { excludes: ['*.log'], onSkip: (s) => skipped.push(s) });
    const byPath = new Map(r.entries.map((e) => [e.path, e]));
    assert.equal(r.entries[0].path, 'src');
    assert.equal(byPath.get('src/vide')?.type, 'dir');
    assert.equal(byPath.get('src/vide.txt')?.size, 0);
    assert.equal(byPath.get('src/Crème brûlée 🍰.txt')?.size, 4);
    assert.equal(byPath.get(`src/${long}`)?.type, 'file');
    assert.equal(byPath.get('src/lien-dehors')?.type, 'symlink');
    assert.equal(byPath.get('src/lien-dehors')?.linkTarget, '/etc/passwd');
    assert.equal(byPath.get('src/lien-dossier')?.linkTarget, 'vide');
    assert.ok(![...byPath.keys()].some((p) => p.startsWith('src/lien-dossier/')), 'links are never followed');
    assert.ok(!byPath.has('src/Thumbs.db'));
    assert.ok(!byPath.has('src/a.log'));
    assert.ok([...byPath.keys()].some((p) => p.endsWith('niveau 29/fond.txt')));
    const expected = [['src/tube', 'unsupported-type']];
    if (!isRoot) expected.unshift(['src/locked', 'unreadable']);
    assert.deepEqual(
      skipped.map((s) => [s.path, s.reason]),
      expected,
    );
    assert.ok(!byPath.has('src/tube'));
    const files = r.entries.filter((e) => e.type === 'file');
    assert.equal(r.files, files.length);
    assert.equal(r.bytes, files.reduce((s, e) => s + e.size, 0));
    // parents come before children
    const idx = new Map(r.entries.map((e, i) => [e.path, i]));
    for (const e of r.entries) {
      const cut = e.path.lastIndexOf('/');
      const parent = cut > 0 ? e.path.slice(0, cut) : '';
      if (parent) assert.ok((idx.get(parent) ?? Infinity) < idx.get(e.path)!, e.path);
    }
  });

  test('a missing source folder is SOURCE_MISSING', async () => {
    await assert.rejects(scanSources(labelSources([join(dir, 'nope')])), (e) => isRempartError(e, 'SOURCE_MISSING'));
  });

  test('a cancelled scan is CANCELLED', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(scanSources(labelSources([dir]), { signal: ac.signal }), (e) => isRempartError(e, 'CANCELLED'));
  });

  test('a concurrent scan yields the same entries in the same order, as they are found, while its consumer is slow', async () => {
    const src = join(dir, 'many');
    for (let d = 0; d < 6; d++) {
      await mkdir(join(src, `dossier ${d}`), { recursive: true });
      for (let f = 0; f < 40; f++) await writeFile(join(src, `dossier ${d}`, `facture ${f}.txt`), `F${d}-${f}`);
    }
    const roots = labelSources([src]);
    const want = await scanSources(roots);
    const scan = scanConcurrently(roots);
    const got: string[] = [];
    let firstBeforeEnd = false;
    let ended = false;
    void scan.done.then(() => (ended = true));
    for await (const e of scan.entries) {
      if (got.length === 0) firstBeforeEnd = !ended;
      got.push(e.path);
      if (got.length % 50 === 0) await new Promise((r) => setTimeout(r, 5)); // a consumer that reads files meanwhile
    }
    assert.ok(firstBeforeEnd, 'the first entry comes before the walk ends');
    assert.deepEqual(got, want.entries.map((e) => e.path));
    const totals = await scan.done;
    assert.deepEqual([totals.files, totals.dirs, totals.bytes], [want.files, want.dirs, want.bytes]);
  });

  test('a concurrent scan stays at most MAX_ENTRIES_AHEAD entries ahead of its consumer; a counting walk gives the totals early', async () => {
    const src = join(dir, 'big');
    for (let d = 0; d < 3; d++) {
      await mkdir(join(src, `classeur ${d}`), { recursive: true });
      for (let f = 0; f < 300; f++) await writeFile(join(src, `classeur ${d}`, `reçu ${f}.txt`), 'x'.repeat(f));
    }
    const roots = labelSources([src]);
    const want = await scanSources(roots);
    assert.ok(want.entries.length > 3 * MAX_ENTRIES_AHEAD);
    let found = 0;
    let taken = 0;
    let mostAhead = 0;
    let takenWhenTotalsKnown = -1;
    const scan = scanConcurrently(roots, { onEntry: () => (mostAhead = Math.max(mostAhead, ++found - taken)) });
    void scan.totals.then(() => (takenWhenTotalsKnown = taken));
    const got: string[] = [];
    for await (const e of scan.entries) {
      taken++;
      got.push(e.path);
      if (taken % 50 === 0) await new Promise((r) => setTimeout(r, 10)); // a consumer reading files meanwhile
    }
    assert.deepEqual(got, want.entries.map((e) => e.path));
    assert.ok(mostAhead <= MAX_ENTRIES_AHEAD + 1, `the walk ran ${mostAhead} entries ahead`);
    assert.ok(mostAhead >= MAX_ENTRIES_AHEAD / 2, `the walk did run ahead (${mostAhead})`);
    assert.ok(takenWhenTotalsKnown >= 0 && takenWhenTotalsKnown < want.entries.length / 2, `totals known after ${takenWhenTotalsKnown} entries`);
    for (const r of [await scan.totals, await scan.done]) assert.deepEqual([r.files, r.dirs, r.bytes], [want.files, want.dirs, want.bytes]);

    // stopped while it waits for its consumer: the walk ends
    const paused = scanConcurrently(roots);
    const it = paused.entries[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 100)); // the walk fills its room and waits
    paused.stop();
    await assert.rejects(paused.done, (e) => isRempartError(e, 'CANCELLED'));
  });

  test('a concurrent scan: a missing source fails before any entry; stop() ends the walk; a cancelled one is CANCELLED', async () => {
    const missing = scanConcurrently(labelSources([join(dir, 'many'), join(dir, 'nope')]));
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of missing.entries) seen.push(e.path);
      })(),
      (e) => isRempartError(e, 'SOURCE_MISSING'),
    );
    assert.deepEqual(seen, [], 'every source is checked before the walk');
    const stopped = scanConcurrently(labelSources([join(dir, 'many')]));
    stopped.stop();
    await assert.rejects(stopped.done, (e) => isRempartError(e, 'CANCELLED'));
    const ac = new AbortController();
    const cancelled = scanConcurrently(labelSources([join(dir, 'many')]), { signal: ac.signal });
    await assert.rejects(
      (async () => {
        for await (const e of cancelled.entries) if (e.type === 'file') ac.abort();
      })(),
      (e) => isRempartError(e, 'CANCELLED'),
    );
  });
});

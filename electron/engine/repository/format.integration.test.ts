/**
 * The on-disk format against the reference tools: the `age` CLI decrypts packs, manifests and key files written by
 * Rempart; `unzip` lists and tests the zip inside a pack; and the "Restoring by hand" script of docs/FORMAT.md,
 * run as written, gives back every file byte for byte.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTools } from '../../../test-support/tools.js';
import { entryName, packPath } from './pack-builder.js';
import { newTestRepo, PASSPHRASE, putFiles, randomData, summary, textData, type TestRepo } from './test-fixtures.js';
import type { RepoSnapshotInfo } from './types.js';

const TOOLS = ['age', 'unzip', 'brotli', 'zstd', 'jq', 'gunzip'];
const FORMAT_MD = fileURLToPath(new URL('../../../docs/FORMAT.md', import.meta.url));

const files: Record<string, Buffer> = {
  'Compta/ventes 2024.db': randomData(900_000), // several raw chunks
  'Compta/Factures/F-0001 Dupré.txt': textData(200_000), // brotli
  'Compta/Factures/vide.txt': Buffer.alloc(0),
  'Photos/été 🌞.jpg': randomData(120_000),
};

let t: TestRepo;
let work: string;
let keyFile: string;
let snap: RepoSnapshotInfo;

const run = (cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: Buffer } = {}) =>
  execFileSync(cmd, args, { env: { ...process.env, ...opts.env }, input: opts.input, maxBuffer: 64 * 1024 * 1024 });

/** Runs argv on a pseudo-terminal (util-linux `script`) and types `answer` at the first prompt matching `prompt`. */
function runOnTty(argv: string[], prompt: RegExp, answer: string): Promise<void> {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let seen = '';
  let answered = false;
  child.stdout.on('data', (d: Buffer) => {
    seen += d.toString();
    if (!answered && prompt.test(seen)) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && answered) resolve();
      else reject(new Error(`${argv.join(' ')} exited ${code}; output: ${seen}`));
    });
  });
}

describe('format v1 with the reference tools', () => {
  before(async () => {
    t = await newTestRepo();
    work = await fsp.mkdtemp(join(tmpdir(), 'rempart-format-'));
    keyFile = join(work, 'key.txt');
    await fsp.writeFile(keyFile, `${t.recoveryKey}\n`);
    const entries = await putFiles(t.repo, files);
    const mtime = '2026-11-24T10:00:00.000Z';
    snap = await t.repo.saveSnapshot({
      host: 'caisse',
      sources: [
        { label: 'Compta', path: '/home/anne/Compta' },
        { label: 'Photos', path: '/home/anne/Photos' },
      ],
      summary: summary(entries.length),
      entries: [
        { path: 'Compta', type: 'dir', size: 0, mtime, mode: 0o755 },
        { path: 'Compta/Factures', type: 'dir', size: 0, mtime, mode: 0o755 },
        { path: 'Compta/Vide', type: 'dir', size: 0, mtime, mode: 0o755 },
        { path: 'Photos', type: 'dir', size: 0, mtime, mode: 0o755 },
        ...entries,
        { path: 'Compta/dernière', type: 'symlink', size: 0, mtime, mode: 0o777, target: 'ventes 2024.db' },
      ],
    });
  });
  after(async () => {
    await t?.cleanup();
    if (work) await fsp.rm(work, { recursive: true, force: true });
  });

  test('age -d -i <recovery key> opens a pack; unzip -l lists "<blob id>.<codec>" entries; unzip -t passes', async (c) => {
    if (!requireTools(c, TOOLS)) return;
    assert.equal(snap.packs.length, 1);
    const zip = join(work, 'pack.zip');
    run('age', ['-d', '-i', keyFile, '-o', zip, join(t.dir, packPath(snap.packs[0]))]);
    const listing = run('unzip', ['-l', zip]).toString();
    const names = [...listing.matchAll(/\b([0-9a-f]{64}\.(?:raw|br|zst))\b/g)].map((m) => m[1]).sort();
    const manifest = await t.repo.loadManifest('latest');
    const expected = [...new Set(manifest.entries.flatMap((e) => e.blobs ?? []))].map((id) => {
      const loc = t.repo.locate(id);
      assert.ok(loc);
      return entryName(id, loc.entry.codec);
    });
    assert.deepEqual(names, expected.sort());
    // compressed entries are brotli (.br) on runtimes without zstd (Node 20), zstd (.zst) where it is written (Node >= 24.15)
    const packed = names.find((n) => n.endsWith('.br') || n.endsWith('.zst'));
    assert.ok(packed && names.some((n) => n.endsWith('.raw')), 'compressed and raw entries present');
    assert.match(run('unzip', ['-t', zip]).toString(), /No errors detected/);

    // One compressed entry, through unzip -p and brotli -d (or zstd -d), is the original chunk.
    const text = manifest.entries.find((e) => e.path === 'Compta/Factures/F-0001 Dupré.txt');
    const id = text?.blobs?.[0] as string;
    const entry = names.find((n) => n.startsWith(id)) as string;
    const decoder = entry.endsWith('.zst') ? 'zstd' : 'brotli';
    const decoded = run(decoder, ['-d', '-c'], { input: run('unzip', ['-p', zip, entry]) });
    assert.deepEqual(decoded, files['Compta/Factures/F-0001 Dupré.txt'].subarray(0, decoded.length));
    assert.equal(t.repo.blobId(decoded), id);
  });

  test('age -d opens the manifest (gzip JSON) and keys/writer.age (the writer key)', async (c) => {
    if (!requireTools(c, TOOLS)) return;
    const manifest = JSON.parse(run('gunzip', [], { input: run('age', ['-d', '-i', keyFile, join(t.dir, 'snapshots', `${snap.name}.age`)]) }).toString());
    assert.equal(manifest.id, snap.id);
    assert.equal(manifest.version, 1);
    assert.ok(manifest.entries.some((e: { path: string }) => e.path === 'Photos/été 🌞.jpg'));
    const writer = JSON.parse(run('age', ['-d', '-i', keyFile, join(t.dir, 'keys', 'writer.age')]).toString());
    assert.equal(writer.writerKey, t.repo.credentials().writerKey);
  });

  test('age -d with the passphrase (typed on a terminal) turns keys/identity.age into the recovery key', async (c) => {
    if (!requireTools(c, ['age', 'script'])) return;
    const out = join(work, 'recovered-key.txt');
    await runOnTty(['age', '-d', '-o', out, join(t.dir, 'keys', 'identity.age')], /passphrase/i, PASSPHRASE);
    assert.equal((await fsp.readFile(out, 'utf8')).trim(), t.recoveryKey);
  });

  test('the "Restoring by hand" script of docs/FORMAT.md restores every file byte for byte', async (c) => {
    if (!requireTools(c, TOOLS)) return;
    const doc = await fsp.readFile(FORMAT_MD, 'utf8');
    const block = /<!-- restore-by-hand:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- restore-by-hand:end -->/.exec(doc);
    assert.ok(block, 'docs/FORMAT.md holds the restore-by-hand block');
    const script = join(work, 'restore-by-hand.sh');
    await fsp.writeFile(script, block[1]);
    const out = join(work, 'restored');
    await fsp.mkdir(out);
    run('sh', [script], { env: { REPO: t.dir, KEY: keyFile, OUT: out } });
    for (const [path, data] of Object.entries(files)) assert.deepEqual(await fsp.readFile(join(out, path)), data, path);
    assert.ok((await fsp.stat(join(out, 'Compta/Vide'))).isDirectory());
    assert.equal(await fsp.readlink(join(out, 'Compta/dernière')), 'ventes 2024.db');
  });
});

/**
 * The engine on the app's runtime: the project-installed Node 24 (scripts/node-runtime.mjs; Electron 41 runs Node 24)
 * runs the real CLI (from source, through tsx) on a few MB: init → backup → restore → check --read-data. Its blobs are
 * zstd (pack entries "<id>.zst", listed with the reference age and unzip tools). The Node running this test (Node 20 in
 * CI: no zstd in its zlib, so the pure-JS decoder) then restores and checks the same repository, adds a backup of its own
 * (brotli blobs), and Node 24 restores and checks that mixed repository. Without Node 24 the test skips locally and fails
 * in CI.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNode24, NODE24_VERSION } from '../../../scripts/node-runtime.mjs';
import { readTree } from '../../../test-support/file-tree.js';
import { cliEnv, collect, jsonLines, REMPART_BIN, type CliResult } from '../../../test-support/rempart-cli.js';
import { requireTools } from '../../../test-support/tools.js';

let dir: string;
let src: string;
let repo: string;

/** Deterministic data: a database of 4 KiB pages, invoices, and a photo-like incompressible file. */
function pages(count: number, seed: number): Buffer {
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  const out = Buffer.alloc(count * 4096);
  for (let p = 0; p < count; p++) {
    const page = out.subarray(p * 4096, (p + 1) * 4096);
    page.writeUInt32BE(p, 0);
    let pos = 16;
    while (pos < 3000) pos += page.write(`client=${next() % 5000};article=${next() % 900};qte=${next() % 12};prix=${(next() % 100000) / 100}|`, pos);
  }
  return out;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-node24-'));
  src = join(dir, 'Boutique');
  repo = join(dir, 'repo');
  await mkdir(join(src, 'Compta'), { recursive: true });
  await mkdir(join(src, 'Factures'), { recursive: true });
  await mkdir(join(src, 'Photos'), { recursive: true });
  await writeFile(join(src, 'Compta', 'base.db'), pages(768, 1)); // 3 MiB
  for (let i = 0; i < 40; i++) {
    await writeFile(join(src, 'Factures', `F-2026-${String(i).padStart(4, '0')} Dupré.txt`), `Facture ${i}\nClient : Café du Marché\n${'Article;Qté;Prix\n'.repeat(200 + i)}`);
  }
  const photo = Buffer.alloc(400_000);
  let x = 7;
  for (let i = 0; i < photo.length; i++) photo[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  await writeFile(join(src, 'Photos', 'vitrine.jpg'), photo);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function node24(t: TestContext): string | null {
  const bin = ensureNode24({ log: (m) => t.diagnostic(m) });
  if (bin) return bin;
  const msg = `no project-installed Node ${NODE24_VERSION} for ${process.platform}-${process.arch} (scripts/node-runtime.mjs)`;
  if (process.env.CI) throw new Error(msg);
  t.skip(msg);
  return null;
}

const env = () => cliEnv({ REMPART_PASSPHRASE: 'boutique', REMPART_CACHE_DIR: join(dir, 'cache') });

function cli(node: string, args: string[]): Promise<CliResult> {
  return collect(spawn(node, [REMPART_BIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] }));
}

async function ok(node: string, args: string[]): Promise<CliResult> {
  const r = await cli(node, args);
  assert.equal(r.code, 0, `${node} rempart ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
  return r;
}

/** The restored tree (wherever the source path lands under the target) is byte-identical to the source. */
async function assertRestored(target: string): Promise<void> {
  const want = await readTree(src);
  const got = await readTree(target);
  const prefix = [...got.keys()].find((k) => k.endsWith(join('Compta', 'base.db')))?.slice(0, -join('Compta', 'base.db').length) ?? '';
  assert.equal(got.size, want.size, 'same number of files');
  for (const [path, data] of want) assert.ok(got.get(prefix + path)?.equals(data), `${path} restored byte for byte`);
}

/** Entry names of every pack, read with the reference tools: age -d with the recovery key, then unzip -Z1. */
async function packEntries(recoveryKey: string): Promise<string[]> {
  const keyFile = join(dir, 'recovery.key');
  await writeFile(keyFile, `${recoveryKey}\n`, { mode: 0o600 });
  const names: string[] = [];
  for (const sub of await readdir(join(repo, 'data'))) {
    for (const f of await readdir(join(repo, 'data', sub))) {
      const zip = join(dir, 'pack.zip');
      const d = spawnSync('age', ['-d', '-i', keyFile, '-o', zip, join(repo, 'data', sub, f)], { encoding: 'utf8' });
      assert.equal(d.status, 0, d.stderr);
      const l = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
      assert.equal(l.status, 0, l.stderr);
      names.push(...l.stdout.split('\n').filter(Boolean));
    }
  }
  return names;
}

test('Node 24 writes zstd blobs and restores/checks them; Node 20 (fallback decoder) reads them too; mixed repository both ways', { timeout: 240_000 }, async (t) => {
  if (!requireTools(t, ['age', 'unzip'])) return;
  const n24 = node24(t);
  if (!n24) return;
  const probe = spawnSync(n24, ['-p', "process.version + ' ' + typeof require('node:zlib').zstdCompress"], { encoding: 'utf8' });
  assert.equal(probe.stdout.trim(), `v${NODE24_VERSION} function`);
  const here = process.execPath;
  t.diagnostic(`Node 24: ${n24}; this test's Node: ${process.version} (zstd in zlib: ${typeof (await import('node:zlib') as unknown as Record<string, unknown>).zstdCompress === 'function'})`);

  const init = await ok(n24, ['init', '--repo', repo, '--json']);
  const recoveryKey = (jsonLines(init.stdout)[0] as { recoveryKey: string }).recoveryKey;
  await ok(n24, ['backup', '--repo', repo, src]);
  const names = await packEntries(recoveryKey);
  const ext = (e: string) => names.filter((n) => n.endsWith(e)).length;
  t.diagnostic(`pack entries after the Node 24 backup: ${ext('.zst')} .zst, ${ext('.br')} .br, ${ext('.raw')} .raw`);
  assert.ok(ext('.zst') >= 10, 'compressible blobs are zstd');
  assert.equal(ext('.br'), 0, 'no brotli blob from Node 24');
  assert.ok(ext('.raw') >= 1, 'the photo is stored raw');

  await ok(n24, ['restore', '--repo', repo, 'latest', '--target', join(dir, 'out24')]);
  await assertRestored(join(dir, 'out24'));
  await ok(n24, ['check', '--repo', repo, '--read-data']);

  // The same repository on the Node running the tests (Node 20 in CI: zstd through fzstd).
  await ok(here, ['restore', '--repo', repo, 'latest', '--target', join(dir, 'out20')]);
  await assertRestored(join(dir, 'out20'));
  await ok(here, ['check', '--repo', repo, '--read-data']);

  // A day later, this Node backs up changes (brotli blobs where it has no zstd); Node 24 reads the mixed repository.
  await appendFile(join(src, 'Compta', 'base.db'), pages(64, 2));
  await writeFile(join(src, 'Factures', 'F-2026-0100 Élodie.txt'), `Facture 100\n${'Article;Qté;Prix\n'.repeat(500)}`);
  await ok(here, ['backup', '--repo', repo, src]);
  const after = await packEntries(recoveryKey);
  if (typeof (await import('node:zlib') as unknown as Record<string, unknown>).zstdCompress !== 'function') {
    assert.ok(after.some((n) => n.endsWith('.br')), 'Node 20 wrote brotli blobs');
  }
  await ok(n24, ['restore', '--repo', repo, 'latest', '--target', join(dir, 'out24b')]);
  await assertRestored(join(dir, 'out24b'));
  await ok(n24, ['check', '--repo', repo, '--read-data']);
  await ok(here, ['check', '--repo', repo, '--read-data']);
});

test('Node 24: a folder of one small file (a pack of a few hundred bytes) backs up, restores and checks', { timeout: 120_000 }, async (t) => {
  const n24 = node24(t);
  if (!n24) return;
  const small = join(dir, 'Petit');
  const smallRepo = join(dir, 'repo-small');
  await mkdir(small);
  await writeFile(join(small, 'note.txt'), 'Bonjour, Café du Marché\n');
  const run = async (args: string[]) => {
    const r = await collect(spawn(n24, [REMPART_BIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] }));
    assert.equal(r.code, 0, `rempart ${args[0]} on Node 24: ${r.stderr.slice(-2000)}`);
  };
  await run(['init', '--repo', smallRepo]);
  await run(['backup', '--repo', smallRepo, small]);
  await run(['restore', '--repo', smallRepo, 'latest', '--target', join(dir, 'out-small')]);
  await run(['check', '--repo', smallRepo, '--read-data']);
  const restored = (await readTree(join(dir, 'out-small'))).values().next().value;
  assert.equal(restored?.toString(), 'Bonjour, Café du Marché\n');
});

test('Node 24: the compression worker keeps one zstd context, and its frames are byte for byte those of the content layer', { timeout: 120_000 }, async (t) => {
  const n24 = node24(t);
  if (!n24) return;
  // database pages, invoices, zeros and noise, of many sizes: every frame must equal compressBlob's (zstdCompress with a
  // pledged size), and the worker must have made them with its long-lived context, not a new one per blob
  const script = `
    import { CompressPool } from ${JSON.stringify(new URL('../jobs/compress-pool.ts', import.meta.url).href)};
    import { compressBlob, preferredCodec } from ${JSON.stringify(new URL('./compression.ts', import.meta.url).href)};
    import { randomBytes } from 'node:crypto';
    const line = (i) => 'client=' + (i * 7919 % 5000) + ';article=' + (i % 900) + ';prix=' + (i * 31 % 10000) / 100 + '|';
    const inputs = [];
    for (let i = 0; i < 300; i++) {
      const size = 64 + ((i * 104729) % 70000);
      const text = Buffer.from(Array.from({ length: Math.ceil(size / 20) }, (_, k) => line(i + k)).join('')).subarray(0, size);
      inputs.push(i % 10 === 3 ? randomBytes(size) : i % 10 === 7 ? Buffer.alloc(size) : text);
    }
    const pool = new CompressPool(1);
    const got = await Promise.all(inputs.map((p) => pool.compress(p)));
    let same = 0;
    for (const [i, p] of inputs.entries()) {
      const want = await compressBlob(p);
      if (want.codec === got[i].codec && want.data.equals(got[i].data)) same++;
    }
    console.log(JSON.stringify({ codec: preferredCodec(), same, total: inputs.length, reused: pool.zstdFramesReused, zstd: got.filter((b) => b.codec === 'zstd').length }));
    await pool.close();
  `;
  const file = join(dir, 'zstd-frames.mts'); // a file, not -e: --input-type would make the worker's CommonJS source a module
  await writeFile(file, script);
  const r = spawnSync(n24, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 100_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { codec: string; same: number; total: number; reused: number; zstd: number };
  assert.equal(out.codec, 'zstd');
  assert.equal(out.same, out.total, 'every blob identical to the content layer\'s');
  assert.ok(out.zstd > 200, `most blobs are zstd (${out.zstd})`);
  // frames tried and not kept (noise that did not shrink) count too
  assert.ok(out.reused >= out.zstd, `every zstd blob came from the long-lived context (${out.reused} frames, ${out.zstd} blobs)`);
});

test('Node 24: the decode processor keeps one zstd context; corrupt frames among good ones fail alone, with the usual messages', { timeout: 120_000 }, async (t) => {
  const n24 = node24(t);
  if (!n24) return;
  const script = `
    import { PROCESSOR_SOURCE } from ${JSON.stringify(new URL('../repository/decode-processor.ts', import.meta.url).href)};
    import crypto from 'node:crypto';
    import fs from 'node:fs';
    import zlib from 'node:zlib';
    const idKey = crypto.randomBytes(32);
    const make = new Function('idKey', 'fs', 'crypto', 'zlib', PROCESSOR_SOURCE + '\\nreturn createProcessor(idKey, fs, crypto, zlib);');
    const p = make(idKey, fs, crypto, zlib);
    const level = { [zlib.constants.ZSTD_c_compressionLevel]: 1 };
    const blobs = [];
    for (let i = 0; i < 45; i++) {
      const plain = Buffer.from(('facture ' + i + ';Élodie Martin;12,50 €|').repeat(50 + i * 13));
      let stored = zlib.zstdCompressSync(plain, { params: level, pledgedSrcSize: plain.length });
      let rawLength = plain.length;
      let kind = 'good';
      // 7 corrupt blobs: past 8 the processor would stop trying the long-lived context
      if (i % 20 === 3) (stored = stored.subarray(0, stored.length - 5)), (kind = 'truncated');
      if (i % 20 === 6) (rawLength = plain.length - 7), (kind = 'longer than recorded');
      if (i % 20 === 8) (stored = Buffer.from(stored)), (stored[stored.length >> 1] ^= 0x40), (kind = 'bit flipped');
      const id = crypto.createHmac('sha256', idKey).update(plain).digest('hex');
      blobs.push({ kind, stored, item: { id, codec: 'zstd', rawLength, length: stored.length, mode: 'check' } });
    }
    const data = Buffer.concat(blobs.map((b) => b.stored));
    const { outs } = p.run(blobs.map((b) => b.item), data);
    // the same blobs, each alone on a fresh processor (a fresh context per blob): the reference answers
    const alone = blobs.map((b) => make(idKey, fs, crypto, zlib).run([b.item], b.stored).outs[0]);
    console.log(JSON.stringify({ reused: p.stats().zstdFramesReused, rows: blobs.map((b, i) => ({ kind: b.kind, got: outs[i], want: alone[i] })) }));
  `;
  const file = join(dir, 'zstd-decode.mts');
  await writeFile(file, script);
  const r = spawnSync(n24, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 100_000 });
  assert.equal(r.status, 0, r.stderr);
  const { reused, rows } = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    reused: number;
    rows: { kind: string; got: { ok?: number; error?: string; message?: string }; want: unknown }[];
  };
  // (a bit flip may leave a frame that decodes, to bytes its keyed id then refuses: those count too)
  const good = rows.filter((row) => row.kind === 'good').length;
  assert.ok(reused >= good, `every good blob was decoded by the long-lived context (${reused} frames, ${good} good blobs)`);
  for (const [i, row] of rows.entries()) {
    assert.deepEqual(row.got, row.want, `blob ${i} (${row.kind}): same answer as decoded alone`);
    if (row.kind === 'good') assert.deepEqual(row.got, { ok: 1 }, `blob ${i} is good`);
    else assert.ok(row.got.error, `blob ${i} (${row.kind}) fails`);
  }
});

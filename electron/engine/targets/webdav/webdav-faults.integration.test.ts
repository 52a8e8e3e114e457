/**
 * Fault injection: the flaky TCP proxy in front of a real Apache mod_dav (and rclone), plus tiny misbehaving
 * servers for the answers Apache never gives (507, 503, a truncating store, a self-signed certificate).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTlsTerminator } from './fault-servers.test-helper.js';
import { createFlakyProxy, type FlakyProxy } from '../../../../test-support/flaky-proxy.js';
import { hasTool, waitFor } from '../../../../test-support/tools.js';
import { startWebdavServer, type WebdavServer } from '../../../../test-support/webdav-servers.js';
import { testBytes } from '../../repository/blob-store-suite.js';
import { isRempartError } from '../../base/errors.js';
import { WebdavStore, type WebdavStoreOptions } from './webdav-store.js';

const execFileP = promisify(execFile);
const TLS_CHILD = fileURLToPath(new URL('./tls-child.test-helper.ts', import.meta.url));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fast = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 500 };
const noTools = !process.env.CI && !['apache2', 'htpasswd', 'rclone'].every(hasTool);

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: Error & { code?: string }) => e,
  );
}

describe('WebDAV faults behind a flaky proxy (Apache)', { skip: noTools && 'apache2/rclone missing', timeout: 120_000 }, () => {
  let apache: WebdavServer;
  let proxy: FlakyProxy;
  const stores: WebdavStore[] = [];
  let n = 0;
  const store = (o: Partial<WebdavStoreOptions> = {}) => {
    const s = new WebdavStore({
      url: `${proxy.origin}/dav/r${++n}/`,
      username: 'test',
      password: 'test',
      retry: fast,
      idleTimeoutMs: 1500,
      ...o,
    });
    stores.push(s);
    return { s, dir: join(apache.dataDir, `r${n}`) };
  };
  before(async () => {
    apache = await startWebdavServer('apache');
    proxy = await createFlakyProxy({ port: apache.port });
  });
  after(async () => {
    for (const s of stores) await s.close();
    await proxy?.close();
    await apache?.stop();
  });

  for (const mode of ['reset', 'close'] as const) {
    test(`an upload cut mid-pack (${mode}) is retried and completes, nothing left in .tmp`, async () => {
      const { s, dir } = store();
      const data = testBytes(3 * 1024 * 1024, 11);
      proxy.configure({ cutAfter: 1024 * 1024, dir: 'up', mode, failConnections: 1 });
      proxy.dropAll();
      const faults = proxy.stats.faults;
      const progress: number[] = [];
      await s.write('data/aa/aa0000000000000000000000000000000000000000000000000000000000000a.pack', () => chunks(data), data.length, {
        onProgress: (n) => progress.push(n),
      });
      assert.equal(proxy.stats.faults - faults, 1, 'the fault happened');
      assert.ok(progress.every((n, i) => i === 0 || n > progress[i - 1]!), 'progress never goes backwards across the retry');
      assert.equal(progress.at(-1), data.length);
      const onDisk = readFileSync(join(dir, 'data/aa/aa0000000000000000000000000000000000000000000000000000000000000a.pack'));
      assert.equal(sha(onDisk), sha(data));
      assert.deepEqual(readdirSync(join(dir, '.tmp')), []);
    });
  }

  test('a stalled upload is detected within the watchdog window, not hung', async () => {
    const { s, dir } = store({ idleTimeoutMs: 1000, retry: { ...fast, maxAttempts: 2 } });
    await s.write('x/first.bin', Buffer.from('warm-up'), 7); // folders exist; the stall hits the PUT
    proxy.configure({ cutAfter: 256 * 1024, dir: 'up', mode: 'stall' });
    proxy.dropAll();
    const t0 = Date.now();
    const err = await rejection(s.write('x/big.bin', testBytes(4 * 1024 * 1024, 12), 4 * 1024 * 1024));
    const ms = Date.now() - t0;
    proxy.configure({});
    proxy.dropAll();
    assert.ok(isRempartError(err, 'NETWORK_STALLED'), String(err));
    assert.ok(ms >= 1000 && ms < 2 * 1000 + 1500, `took ${ms} ms for 2 attempts of a 1 s watchdog`);
    assert.equal(existsSync(join(dir, 'x/big.bin')), false);
  });

  test('a server that stops answering is detected within the watchdog window (download)', async () => {
    const { s } = store({ idleTimeoutMs: 800, retry: { ...fast, maxAttempts: 2 } });
    const data = testBytes(2 * 1024 * 1024, 13);
    await s.write('y/file.bin', data, data.length);
    proxy.configure({ cutAfter: 0, dir: 'down', mode: 'stall' });
    proxy.dropAll(); // the next request opens a connection that gets the fault
    const t0 = Date.now();
    const err = await rejection(s.read('y/file.bin'));
    const ms = Date.now() - t0;
    proxy.configure({});
    proxy.dropAll();
    assert.ok(isRempartError(err, 'NETWORK_STALLED'), String(err));
    assert.ok(ms >= 800 && ms < 2 * 800 + 1500, `took ${ms} ms`);
  });

  test('a download that stalls mid-body on every connection still completes by resuming after each stall', async () => {
    const { s } = store({ idleTimeoutMs: 500, retry: { ...fast, maxAttempts: 2 } });
    const data = testBytes(1536 * 1024, 16);
    await s.write('y/stally.bin', data, data.length);
    proxy.configure({ cutAfter: 600 * 1024, dir: 'down', mode: 'stall' });
    proxy.dropAll();
    const faults = proxy.stats.faults;
    const t0 = Date.now();
    const got = await s.read('y/stally.bin');
    const ms = Date.now() - t0;
    const stalls = proxy.stats.faults - faults;
    proxy.configure({});
    proxy.dropAll();
    assert.equal(sha(got), sha(data));
    assert.ok(stalls >= 2, `${stalls} stalls`);
    assert.ok(ms >= stalls * 500, `each stall waited for the watchdog (${ms} ms, ${stalls} stalls)`);
  });

  test('a slow consumer is not mistaken for a stalled server', async () => {
    const { s } = store({ idleTimeoutMs: 800 });
    const data = testBytes(4 * 1024 * 1024, 17);
    await s.write('slow/reader.bin', data, data.length);
    proxy.configure({});
    const got: Buffer[] = [];
    let paused = false;
    for await (const c of await s.openRead('slow/reader.bin')) {
      got.push(c as Buffer);
      if (!paused) {
        paused = true;
        await new Promise((r) => setTimeout(r, 2000)); // longer than the watchdog, while holding the stream
      }
    }
    assert.equal(sha(Buffer.concat(got)), sha(data));
    await new Promise((r) => setTimeout(r, 200));
    const gets = apache.requestLog().filter((r) => r.method === 'GET' && r.path.endsWith('/slow/reader.bin'));
    assert.equal(gets.length, 1, 'no reconnect was needed');
  });

  test('a download cut mid-file is resumed from the failed offset and is byte-identical', async () => {
    const { s } = store();
    const data = testBytes(3 * 1024 * 1024, 14);
    await s.write('z/pack.bin', data, data.length);
    proxy.configure({ cutAfter: 700 * 1024, dir: 'down', mode: 'reset', failConnections: 2 });
    proxy.dropAll();
    const faults = proxy.stats.faults;
    const got: Buffer[] = [];
    for await (const c of await s.openRead('z/pack.bin')) got.push(c as Buffer);
    assert.equal(proxy.stats.faults - faults, 2, 'two cuts happened');
    assert.equal(sha(Buffer.concat(got)), sha(data));
    await new Promise((r) => setTimeout(r, 200));
    const gets = apache.requestLog().filter((r) => r.method === 'GET' && r.path.endsWith('/z/pack.bin'));
    assert.ok(gets.length >= 3, `re-requested after each cut (${gets.length} GETs)`);
    // Resumed, not restarted: the bytes that went down are far less than three whole copies.
    proxy.configure({});
  });

  test('a wrong password gives AUTH_FAILED at once: one request, no retries, no secret in the error', async () => {
    const before = apache.requestLog().length;
    const { s } = store({ password: 'Wr0ng-S3cret!' });
    const err = await rejection(s.write('a/b.bin', Buffer.from('hello'), 5));
    assert.ok(isRempartError(err, 'AUTH_FAILED'), String(err));
    await waitFor(() => apache.requestLog().length > before, 2000); // Apache logs after answering
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(apache.requestLog().length - before, 1, 'exactly one request reached the server');
    const dump = JSON.stringify({ m: err.message, s: err.stack, i: (err as { toInfo?: () => unknown }).toInfo?.() });
    assert.ok(!dump.includes('Wr0ng-S3cret!'));
    assert.ok(!dump.includes(Buffer.from('test:Wr0ng-S3cret!').toString('base64')));
  });

  test('credentials in the URL are taken out of location and errors', async () => {
    const url = `http://test:test@127.0.0.1:${proxy.port}/dav/creds/`;
    const s = new WebdavStore({ url, retry: fast });
    stores.push(s);
    assert.equal(s.location, `http://127.0.0.1:${proxy.port}/dav/creds/`);
    await s.write('ok.bin', Buffer.from('1'), 1); // the URL credentials are used
    const bad = new WebdavStore({ url: url.replace('test@', 'Url-Wr0ng@'), retry: fast });
    stores.push(bad);
    const err = await rejection(bad.read('ok.bin'));
    assert.ok(isRempartError(err, 'AUTH_FAILED'));
    assert.ok(!`${err.message}${err.stack}`.includes('Url-Wr0ng'));
  });

  test('temporary files left by a killed run are cleaned on the next session (older than a day only)', async () => {
    const first = store();
    await first.s.write('a.bin', Buffer.from('a'), 1);
    const tmp = join(first.dir, '.tmp');
    writeFileSync(join(tmp, 'old.pack.1234.part'), 'partial');
    writeFileSync(join(tmp, 'fresh.pack.5678.part'), 'in progress elsewhere');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    utimesSync(join(tmp, 'old.pack.1234.part'), twoDaysAgo, twoDaysAgo);
    const second = new WebdavStore({ url: first.s.location, username: 'test', password: 'test', retry: fast });
    stores.push(second);
    await second.write('b.bin', Buffer.from('b'), 1);
    assert.deepEqual(readdirSync(tmp), ['fresh.pack.5678.part']);
  });

  test('connection refused: retried with backoff, then NETWORK_UNREACHABLE in bounded time', async () => {
    const dead = await createFlakyProxy({ port: apache.port });
    const port = dead.port;
    await dead.close();
    const s = new WebdavStore({ url: `http://127.0.0.1:${port}/dav/`, username: 'test', password: 'test', retry: fast });
    stores.push(s);
    const t0 = Date.now();
    const err = await rejection(s.stat('x.bin'));
    assert.ok(isRempartError(err, 'NETWORK_UNREACHABLE'), String(err));
    assert.match(err.message, /after 4 attempts/);
    assert.ok(Date.now() - t0 < 5000);
  });
});

describe('rclone (silently truncates a cut PUT) behind the flaky proxy', { skip: noTools && 'rclone missing', timeout: 60_000 }, () => {
  let rclone: WebdavServer;
  let proxy: FlakyProxy;
  before(async () => {
    rclone = await startWebdavServer('rclone');
    proxy = await createFlakyProxy({ port: rclone.port });
  });
  after(async () => {
    await proxy?.close();
    await rclone?.stop();
  });

  test('https (TLS in front of rclone) with a trusted certificate works; a certificate for another host name is TLS_ERROR', async () => {
    const tlsFront = await startTlsTerminator(rclone.port);
    try {
      const job = { good: `https://localhost:${tlsFront.port}/tls-ok/`, mismatched: `https://127.0.0.1:${tlsFront.port}/tls-ok/` };
      const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', TLS_CHILD, JSON.stringify(job)], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: tlsFront.certPath },
        timeout: 60_000,
      });
      const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
      assert.equal(out.read, 'bonjour', stdout);
      assert.equal(out.mismatch?.code, 'TLS_ERROR', stdout);
      assert.match(out.mismatch?.message ?? '', /ALTNAME|altname|host/i);
    } finally {
      await tlsFront.close();
    }
  });

  test('a cut upload never leaves a truncated pack under its final name; the retry completes', async () => {
    const s = new WebdavStore({ url: `${proxy.origin}/repo/`, username: 'test', password: 'test', retry: fast, idleTimeoutMs: 2000 });
    try {
      const data = testBytes(2 * 1024 * 1024, 15);
      const name = 'data/bb/bb00000000000000000000000000000000000000000000000000000000000b.pack';
      proxy.configure({ cutAfter: 900 * 1024, dir: 'up', mode: 'reset', failConnections: 1 });
      await s.write(name, () => chunks(data), data.length);
      assert.equal(proxy.stats.faults, 1);
      assert.equal(sha(readFileSync(join(rclone.dataDir, 'repo', name))), sha(data));
      assert.deepEqual(readdirSync(join(rclone.dataDir, 'repo/.tmp')), []);
    } finally {
      await s.close();
    }
  });
});

function chunks(buf: Buffer, size = 64 * 1024): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  })());
}

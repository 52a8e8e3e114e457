/**
 * Browser mode end to end, as a real process (`node scripts/web.mjs`) over the real orchestrator and engine:
 * the printed token URL, refusals without the token, a full method round trip (setup + first backup onto a folder
 * standing for the USB drive), SSE delivery of host events, the test clock hook, the single-instance lock, clean SIGTERM.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusDto } from '../../contract/api.js';
import { waitFor } from '../../../test-support/tools.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let child: ChildProcess;
let out = '';
let base = '';
let token = '';

function startWeb(extra: string[] = []): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let text = '';
  const proc = spawn(
    process.execPath,
    [join(repo, 'scripts', 'web.mjs'), '--data-dir', join(dir, 'app'), '--port', '0', '--drive-roots', join(dir, 'media'), '--static-dir', join(dir, 'ui'), '--test-hooks', '--clock-start', '2026-11-24T09:00:00Z', ...extra],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Europe/Paris' } },
  );
  proc.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => text, exited };
}

async function api<T>(method: string, payload?: unknown): Promise<{ ok: boolean; value: T; error?: { code: string } }> {
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  return (await res.json()) as { ok: boolean; value: T; error?: { code: string } };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rempart-web-'));
  await mkdir(join(dir, 'media', 'CLE'), { recursive: true });
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'ui'));
  await writeFile(join(dir, 'ui', 'index.html'), '<!doctype html><title>Rempart</title>');
  await writeFile(join(dir, 'src', 'facture-2026-11.txt'), 'Facture n° 42 — 118,00 €\n');
  const web = startWeb();
  child = web.proc;
  await waitFor(() => /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m.test(web.output()), 60_000);
  out = web.output();
  const url = new URL(out.match(/^http:\/\/127\.0\.0\.1:\S+$/m)![0]);
  base = url.origin;
  token = url.searchParams.get('token')!;
});

after(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
  }
  await rm(dir, { recursive: true, force: true });
});

test('prints the token address on a line of its own; nothing answers without it', async () => {
  assert.match(out, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/m);
  assert.ok(existsSync(join(dir, 'app', 'rempart.lock')), 'the single-instance lock is held');
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/api/getStatus`, { method: 'POST' })).status, 401);
  const page = await fetch(`${base}/?token=${token}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>Rempart<\/title>/);
});

test('round trip through the real host: setup, first backup, status; events arrive over SSE', async () => {
  const events: string[] = [];
  const ac = new AbortController();
  const stream = await fetch(`${base}/api/events?token=${token}`, { signal: ac.signal });
  assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = stream.body!.getReader();
  const reading = (async () => {
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      for (const m of dec.decode(value).matchAll(/^event: (\w+)$/gm)) events.push(m[1]!);
    }
  })();

  const status0 = await api<StatusDto>('getStatus');
  assert.equal(status0.value.configured, false);
  const drives = await api<{ mountPath: string }[]>('listDrives');
  assert.deepEqual(drives.value.map((d) => d.mountPath), [join(dir, 'media', 'CLE')]);
  const bad = await api('completeSetup', { sources: ['relative'], excludes: [], passphrase: 'x', language: 'fr' });
  assert.equal(bad.error?.code, 'INVALID_INPUT');

  const setup = await api<{ recoveryKey: string }>('completeSetup', {
    sources: [join(dir, 'src')], excludes: [], passphrase: 'cheval correct batterie agrafe', language: 'fr',
    usb: { mountPath: join(dir, 'media', 'CLE'), label: 'Sauvegarde Boutique' },
  });
  assert.ok(setup.ok, JSON.stringify(setup));
  assert.match(setup.value.recoveryKey, /^AGE-SECRET-KEY-1/);
  let usb: StatusDto['targets'][number] | undefined;
  await waitFor(async () => {
    usb = (await api<StatusDto>('getStatus')).value.targets.find((t) => t.kind === 'usb');
    return usb?.state === 'ok' && usb.snapshotCount === 1;
  }, 60_000, 200);
  assert.equal(usb!.label, 'Sauvegarde Boutique');
  await waitFor(() => events.includes('status') && events.includes('progress'), 10_000);

  // The settings the host returns pass the edge validation when sent back whole (what a settings screen does).
  const saved = await api<Record<string, unknown> & { version: number }>('getSettings');
  const { version: _v, ...whole } = saved.value;
  const echoed = await api<{ startAtLogin: boolean }>('updateSettings', { ...whole, startAtLogin: false });
  assert.ok(echoed.ok, JSON.stringify(echoed));
  assert.equal(echoed.value.startAtLogin, false);
  ac.abort();
  await reading;
});

test('test hooks move the host clock', async () => {
  const before = (await api<StatusDto>('getStatus')).value.now;
  const res = await fetch(`${base}/api/_test/clock/advance`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ms: 3_600_000 }),
  });
  assert.equal(res.status, 200);
  const after_ = (await api<StatusDto>('getStatus')).value.now;
  assert.equal(Date.parse(after_) - Date.parse(before), 3_600_000);
  const alerts = await fetch(`${base}/api/_test/alerts`, { headers: { authorization: `Bearer ${token}` } });
  assert.ok(Array.isArray(((await alerts.json()) as { value: unknown[] }).value));
});

test('a second instance on the same app-data folder refuses to start', async () => {
  const second = startWeb();
  const code = await second.exited;
  assert.equal(code, 1);
  assert.match(second.output(), /already running/);
});

test('SIGTERM stops cleanly and releases the lock', async () => {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const t0 = Date.now();
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(Date.now() - t0 < 3000, `stopped in ${Date.now() - t0} ms`);
  assert.equal(existsSync(join(dir, 'app', 'rempart.lock')), false);
});

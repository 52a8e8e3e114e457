/**
 * Starts the real app in browser mode (`scripts/web.mjs`) with an isolated data folder, a drive root standing in for
 * removable drives, and test hooks (a controllable clock). Stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export interface RunningApp {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  driveRoot: string;
  proc: ChildProcess;
  /** Calls the bridge directly (test hooks and API), with the token. */
  call<T = unknown>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startApp(opts: { dataDir?: string; driveRoot?: string; startTime?: string } = {}): Promise<RunningApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'rempart-e2e-data-'));
  const driveRoot = opts.driveRoot ?? mkdtempSync(join(tmpdir(), 'rempart-e2e-drives-'));
  mkdirSync(driveRoot, { recursive: true });
  const args = [join(root, 'scripts', 'web.mjs'), '--data-dir', dataDir, '--port', '0', '--drive-roots', driveRoot, '--test-hooks'];
  // The renderer built from the current sources by global-setup.ts (falls back to dist/renderer when run without it).
  const staticDir = process.env.REMPART_E2E_STATIC_DIR;
  if (staticDir && existsSync(join(staticDir, 'index.html'))) args.push('--static-dir', staticDir);
  if (opts.startTime) args.push('--clock-start', opts.startTime);
  const proc = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, TZ: 'Europe/Paris' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode did not print its address in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    proc.on('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${parsed.origin}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    url, origin: parsed.origin, token, dataDir, driveRoot, proc, call,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(null); }, 5000); proc.once('exit', () => { clearTimeout(t); r(null); }); });
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

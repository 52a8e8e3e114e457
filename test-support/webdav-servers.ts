/**
 * Real WebDAV servers on loopback for integration tests: Apache httpd + mod_dav_fs (the strict reference),
 * SabreDAV 1.8 on `php -S` (the Nextcloud engine family: md5 ETags, quota props) and `rclone serve webdav`
 * (the sloppy one: ignores If-None-Match and Content-Range, leaves truncated files after a cut PUT).
 * Each starts on a free 127.0.0.1 port with Basic auth, in its own temp dir; call stop() in an after() hook.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isRoot } from './tools.js';

export type WebdavServerKind = 'apache' | 'sabre' | 'rclone';
export const WEBDAV_SERVER_KINDS: readonly WebdavServerKind[] = ['apache', 'sabre', 'rclone'];
/** The command each kind needs (for requireTools). */
export const WEBDAV_SERVER_TOOLS: Record<WebdavServerKind, string[]> = {
  apache: ['apache2', 'htpasswd'],
  sabre: ['php'],
  rclone: ['rclone'],
};

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  bytesIn: number;
}

export interface WebdavServer {
  kind: WebdavServerKind;
  /** Root collection URL, ending with '/' (e.g. http://127.0.0.1:40123/dav/). No credentials in it. */
  url: string;
  port: number;
  username: string;
  password: string;
  /** Folder on disk that the root collection maps to. */
  dataDir: string;
  /** Changes the account's password on the running server (Apache: htpasswd; sabre: password file). */
  changePassword(newPassword: string): Promise<void>;
  /** Requests seen by the server so far (Apache access log only). */
  requestLog(): RequestLogEntry[];
  stop(): Promise<void>;
}

export interface StartOptions {
  username?: string;
  password?: string;
  /** rclone only: content-MD5 ETags (`--etag-hash MD5`). Default true. */
  rcloneEtagHash?: boolean;
}

export async function startWebdavServer(kind: WebdavServerKind, opts: StartOptions = {}): Promise<WebdavServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (kind === 'apache') return await startApache(opts);
      if (kind === 'sabre') return await startSabre(opts);
      return await startRclone(opts);
    } catch (err) {
      lastError = err; // most likely a port race with a parallel test: try another port
    }
  }
  throw lastError;
}

function makeRoot(kind: string): string {
  const root = mkdtempSync(join(tmpdir(), `rempart-${kind}-`));
  chmodSync(root, 0o755); // Apache's workers run as www-data and must traverse it
  return root;
}

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (e) => keep(Buffer.from(String(e))));
  return { child, output: () => out };
}

/** Resolves once the server answers HTTP (any status) on the URL. */
async function waitHttp(url: string, proc: Proc, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`server exited early (${proc.child.exitCode ?? proc.child.signalCode}): ${proc.output()}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(url, { method: 'OPTIONS', timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => {
        req.destroy();
        resolve(false);
      });
      req.end();
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`server not ready after ${timeoutMs} ms: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readyOrStop(url: string, proc: Proc, root: string): Promise<void> {
  try {
    await waitHttp(url, proc);
  } catch (err) {
    await stopProc(proc, root);
    throw err;
  }
}

const noLog = (): RequestLogEntry[] => { throw new Error('requestLog: only the Apache fixture keeps an access log'); };

async function stopProc(proc: Proc, root: string): Promise<void> {
  const { child } = proc;
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM'); // its own process group (Apache workers included)
    } catch { /* already gone */ }
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    }
  }
  rmSync(root, { recursive: true, force: true });
}

function htpasswd(file: string, user: string, password: string, create: boolean): void {
  const r = spawnSync('htpasswd', [create ? '-cbB' : '-bB', file, user, password], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
}

export async function startApache(opts: StartOptions = {}): Promise<WebdavServer> {
  const username = opts.username ?? 'test';
  let password = opts.password ?? 'test';
  const root = makeRoot('apache');
  const data = join(root, 'data');
  for (const d of ['data', 'run', 'logs']) mkdirSync(join(root, d));
  const pwFile = join(root, 'htpasswd');
  htpasswd(pwFile, username, password, true);
  chmodSync(pwFile, 0o644);
  const asRoot = isRoot();
  if (asRoot) spawnSync('chown', ['-R', 'www-data:www-data', data, join(root, 'run')]);
  const port = await freePort();
  const mod = (name: string) => `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${name}.so`;
  const conf = [
    `ServerRoot "${root}"`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile ${root}/run/httpd.pid`,
    `DefaultRuntimeDir ${root}/run`,
    `Mutex file:${root}/run default`,
    ...['mpm_event', 'authz_core', 'authz_user', 'authn_core', 'authn_file', 'auth_basic', 'dav', 'dav_fs', 'mime', 'alias'].map(mod),
    ...(asRoot ? ['User www-data', 'Group www-data'] : []),
    `ErrorLog ${root}/logs/error.log`,
    'LogLevel warn',
    `LogFormat "%m %U %>s %I" rempart`,
    `CustomLog ${root}/logs/access.log rempart`,
    'TypesConfig /etc/mime.types',
    'LimitRequestBody 0',
    'StartServers 1',
    'ThreadsPerChild 16',
    `DavLockDB ${root}/run/DavLock`,
    `Alias /dav ${data}`,
    `<Directory ${data}>`,
    '  Dav On',
    '  AuthType Basic',
    '  AuthName "dav"',
    `  AuthUserFile ${pwFile}`,
    '  Require valid-user',
    '  Options None',
    '  AllowOverride None',
    '</Directory>',
  ].join('\n');
  writeFileSync(join(root, 'httpd.conf'), conf + '\n');
  const proc = launch('apache2', ['-f', join(root, 'httpd.conf'), '-DFOREGROUND']);
  const url = `http://127.0.0.1:${port}/dav/`;
  await readyOrStop(url, proc, root);
  return {
    kind: 'apache',
    url,
    port,
    username,
    get password() {
      return password;
    },
    dataDir: data,
    async changePassword(newPassword) {
      htpasswd(pwFile, username, newPassword, false); // mod_authn_file re-reads the file on every request
      password = newPassword;
    },
    requestLog() {
      const file = join(root, 'logs', 'access.log');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [method = '', path = '', status = '0', bytes = '0'] = line.split(' ');
          return { method, path: decodeURIComponent(path), status: Number(status), bytesIn: Number(bytes) || 0 };
        });
    },
    stop: () => stopProc(proc, root),
  };
}

const SABRE_SERVER = `<?php
require_once 'Sabre/autoload.php';
class RempartTestAuth extends \\Sabre\\DAV\\Auth\\Backend\\AbstractBasic {
    protected function validateUserPass($u, $p) {
        return $u === trim(file_get_contents(__DIR__ . '/username')) && $p === trim(file_get_contents(__DIR__ . '/password'));
    }
}
$root = new \\Sabre\\DAV\\FSExt\\Directory(__DIR__ . '/data');   // FSExt: md5 ETags + quota
$server = new \\Sabre\\DAV\\Server($root);
$server->setBaseUri('/');
$server->addPlugin(new \\Sabre\\DAV\\Auth\\Plugin(new RempartTestAuth(), 'dav'));
$server->addPlugin(new \\Sabre\\DAV\\Locks\\Plugin(new \\Sabre\\DAV\\Locks\\Backend\\File(__DIR__ . '/locks.dat')));
$server->exec();
`;

export async function startSabre(opts: StartOptions = {}): Promise<WebdavServer> {
  const username = opts.username ?? 'test';
  let password = opts.password ?? 'test';
  const root = makeRoot('sabre');
  const data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(root, 'server.php'), SABRE_SERVER);
  writeFileSync(join(root, 'username'), username);
  writeFileSync(join(root, 'password'), password);
  const port = await freePort();
  const proc = launch(
    'php',
    ['-d', 'memory_limit=512M', '-d', 'display_errors=stderr', '-d', 'error_reporting=E_ALL & ~E_DEPRECATED',
      '-S', `127.0.0.1:${port}`, join(root, 'server.php')],
    { PHP_CLI_SERVER_WORKERS: '2' },
  );
  const url = `http://127.0.0.1:${port}/`;
  await readyOrStop(url, proc, root);
  return {
    kind: 'sabre',
    url,
    port,
    username,
    get password() {
      return password;
    },
    dataDir: data,
    async changePassword(newPassword) {
      writeFileSync(join(root, 'password'), newPassword);
      password = newPassword;
    },
    requestLog: noLog,
    stop: () => stopProc(proc, root),
  };
}

export async function startRclone(opts: StartOptions = {}): Promise<WebdavServer> {
  const username = opts.username ?? 'test';
  const password = opts.password ?? 'test';
  const root = makeRoot('rclone');
  const data = join(root, 'data');
  mkdirSync(data);
  const port = await freePort();
  const args = ['serve', 'webdav', data, '--addr', `127.0.0.1:${port}`, '--user', username, '--pass', password];
  if (opts.rcloneEtagHash ?? true) args.push('--etag-hash', 'MD5');
  const proc = launch('rclone', args, { RCLONE_CONFIG: join(root, 'rclone.conf') });
  const url = `http://127.0.0.1:${port}/`;
  await readyOrStop(url, proc, root);
  return {
    kind: 'rclone',
    url,
    port,
    username,
    password,
    dataDir: data,
    async changePassword() {
      throw new Error('changePassword: not supported by the rclone fixture (credentials are fixed at start)');
    },
    requestLog: noLog,
    stop: () => stopProc(proc, root),
  };
}

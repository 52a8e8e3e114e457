/**
 * Browser mode: the real host (orchestrator + engine) behind the loopback bridge, for machines without Electron and for e2e.
 * Run by scripts/web.mjs (npm run web). Prints the address to open, token included, alone on a line starting with
 * "http://127.0.0.1:". One instance per app-data folder (the same lock as the desktop app).
 */
import { spawn } from 'node:child_process';
import { FakeClock } from '../../engine/base/clock.js';
import { startHost, type Host } from '../host.js';
import { consoleNotifier, type NotificationRequest } from '../ports.js';
import { acquireInstanceLock, type InstanceLock } from '../single-instance.js';
import { startBridge, type Bridge } from './server.js';
import { ArgsError, parseWebArgs, USAGE, type WebArgs } from './web-args.js';

export interface WebApp {
  bridge: Bridge;
  host: Host;
  stop(): Promise<void>;
}

export async function startWebApp(args: WebArgs): Promise<WebApp> {
  const lock: InstanceLock = await acquireInstanceLock(args.dataDir);
  let host: Host | null = null;
  try {
    const clock = args.testHooks ? new FakeClock(args.clockStart ?? Date.now()) : undefined;
    const sent: NotificationRequest[] = [];
    const notifier = {
      notify(n: NotificationRequest) {
        sent.push(n);
        consoleNotifier.notify(n);
      },
    };
    host = await startHost({ dataDir: args.dataDir, clock, driveRoots: args.driveRoots, timeZone: args.timeZone, ports: { notifier } });
    const bridge = await startBridge({
      host,
      port: args.port,
      staticDir: args.staticDir,
      testHooks: clock ? { clock, notifications: () => sent.slice() } : undefined,
    });
    const started = host;
    let stopping: Promise<void> | null = null;
    return {
      bridge,
      host: started,
      stop: () =>
        (stopping ??= (async () => {
          await bridge.close();
          await started.stop();
          await lock.release();
        })()),
    };
  } catch (err) {
    await host?.stop().catch(() => undefined);
    await lock.release();
    throw err;
  }
}

function openInBrowser(url: string): void {
  const [cmd, argv] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : [process.platform === 'darwin' ? 'open' : 'xdg-open', [url]];
  const child = spawn(cmd as string, argv as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let args: WebArgs;
  try {
    args = parseWebArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  let app: WebApp;
  try {
    app = await startWebApp(args);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ALREADY_RUNNING') {
      process.stderr.write(`Rempart est déjà ouvert pour ce dossier / Rempart is already running for ${args.dataDir}\n`);
      return 1;
    }
    throw err;
  }
  process.stdout.write(`Rempart (mode navigateur / browser mode) — ${args.dataDir}\n`);
  process.stdout.write(`Ouvrez cette adresse / open this address:\n${app.bridge.url}\n`);
  if (args.testHooks) process.stdout.write('TEST HOOKS ENABLED (fake clock) — never use this in production\n');
  if (args.open) openInBrowser(app.bridge.url);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    process.once('SIGHUP', done);
  });
  await app.stop();
  return 0;
}

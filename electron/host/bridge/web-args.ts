/**
 * Command line of browser mode (npm run web) and the default app-data folder, the same one Electron's `userData`
 * resolves to for "Rempart": ~/.config/Rempart (Linux, $XDG_CONFIG_HOME honoured), %APPDATA%\Rempart (Windows),
 * ~/Library/Application Support/Rempart (macOS).
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const APP_NAME = 'Rempart';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  const config = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, APP_NAME);
}

export interface WebArgs {
  dataDir: string;
  /** 0 = any free port. */
  port: number;
  staticDir: string;
  driveRoots?: string[];
  testHooks: boolean;
  /** Start of the FakeClock (test hooks only); default: now. */
  clockStart?: number;
  /** IANA time zone for schedules and texts (default: the system's). */
  timeZone?: string;
  open: boolean;
}

export const USAGE = `Usage: npm run web -- [options]
  --data-dir DIR     app-data folder (default: ${defaultDataDir()})
  --port N           port on 127.0.0.1 (default 0 = any free port)
  --drive-roots DIR  folder whose sub-folders are the mounted drives (repeatable)
  --static-dir DIR   built renderer (default: dist/renderer)
  --time-zone TZ     IANA zone for schedules (default: the system's)
  --open             open the address in the default browser
  --test-hooks       e2e only: fake clock + /api/_test/* routes (never in production)
  --clock-start ISO  e2e only: start time of the fake clock`;

export class ArgsError extends Error {}

/** Parses argv (without node and script). Relative paths are resolved against cwd. */
export function parseWebArgs(argv: readonly string[], cwd = process.cwd()): WebArgs {
  const out: WebArgs = { dataDir: defaultDataDir(), port: 0, staticDir: resolve(cwd, 'dist', 'renderer'), testHooks: false, open: false };
  const roots: string[] = [];
  let clockStart: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ArgsError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--data-dir':
        out.dataDir = resolve(cwd, value());
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new ArgsError(`--port must be 0..65535, got ${v}`);
        out.port = n;
        break;
      }
      case '--drive-roots':
        roots.push(resolve(cwd, value()));
        break;
      case '--static-dir':
        out.staticDir = resolve(cwd, value());
        break;
      case '--time-zone':
        out.timeZone = value();
        break;
      case '--test-hooks':
        out.testHooks = true;
        break;
      case '--clock-start':
        clockStart = value();
        break;
      case '--open':
        out.open = true;
        break;
      default:
        throw new ArgsError(`unknown option ${flag}`);
    }
  }
  if (roots.length > 0) out.driveRoots = roots;
  if (clockStart !== undefined) {
    if (!out.testHooks) throw new ArgsError('--clock-start needs --test-hooks');
    const t = Date.parse(clockStart);
    if (!Number.isFinite(t)) throw new ArgsError(`--clock-start must be an ISO date, got ${clockStart}`);
    out.clockStart = t;
  }
  return out;
}

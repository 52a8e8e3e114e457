import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Command-line parsing shared by every command (node:util parseArgs, strict: unknown options are errors). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  repo: { type: 'string', short: 'r' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  'cache-dir': { type: 'string' },
  'insecure-http': { type: 'boolean', default: false },
} as const satisfies OptionSpec;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** "--keep-yearly -1" → "--keep-yearly=-1" (parseArgs takes a leading dash for an option). */
function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parse(argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeNumbers(argv),
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

export function requireRepo(p: Parsed): string {
  const repo = str(p, 'repo') ?? process.env.REMPART_REPOSITORY;
  if (!repo) throw new UsageError('missing --repo DIR (or REMPART_REPOSITORY)');
  return repo;
}

/** A non-negative integer option, or undefined when absent. */
export function int(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} expects a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < -1) throw new UsageError(`--${name} must be -1 (unlimited) or more`);
  return n;
}

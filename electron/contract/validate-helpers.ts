/**
 * Tiny, dependency-free schema helpers for validating JSON payloads at the API edge (IPC and loopback bridge).
 * A Schema parses an unknown value into a fresh, typed copy or throws a SchemaError naming the offending field.
 * Objects are strict (unknown keys are refused), strings are length-capped, numbers are finite and bounded.
 * This file imports nothing.
 */

export class SchemaError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SchemaError';
  }
}

export type Schema<T> = (value: unknown, at: string) => T;
export type Infer<S> = S extends Schema<infer T> ? T : never;

const fail = (at: string, problem: string): never => {
  throw new SchemaError(at, problem);
};

export interface StrOptions {
  min?: number;
  max: number;
  pattern?: RegExp;
  /** Human description of the pattern for the error message. */
  patternName?: string;
}

export function str(opts: StrOptions): Schema<string> {
  return (v, at) => {
    if (typeof v !== 'string') return fail(at, 'must be a string');
    if (v.length < (opts.min ?? 0)) return fail(at, `must be at least ${opts.min ?? 0} characters`);
    if (v.length > opts.max) return fail(at, `must be at most ${opts.max} characters`);
    if (v.includes('\u0000')) return fail(at, 'must not contain NUL characters');
    if (opts.pattern && !opts.pattern.test(v)) return fail(at, `must be ${opts.patternName ?? `like ${opts.pattern}`}`);
    return v;
  };
}

/** Absolute paths on POSIX (/x), Windows drive (C:\x, C:/x) or UNC (\\server\share). */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/][^\\/]+)/;
export const MAX_PATH_LENGTH = 4096;

export function absPath(): Schema<string> {
  const base = str({ min: 1, max: MAX_PATH_LENGTH });
  return (v, at) => {
    const s = base(v, at);
    if (!ABSOLUTE_PATH.test(s)) return fail(at, 'must be an absolute path');
    return s;
  };
}

export function httpUrl(): Schema<string> {
  const base = str({ min: 1, max: 2048 });
  return (v, at) => {
    const s = base(v, at);
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return fail(at, 'must be a URL');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail(at, 'must be an http(s) URL');
    if (u.username || u.password) return fail(at, 'must not contain credentials');
    return s;
  };
}

export interface NumOptions {
  min: number;
  max: number;
  integer?: boolean;
}

export function num(opts: NumOptions): Schema<number> {
  return (v, at) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(at, 'must be a finite number');
    if (opts.integer !== false && !Number.isInteger(v)) return fail(at, 'must be an integer');
    if (v < opts.min || v > opts.max) return fail(at, `must be between ${opts.min} and ${opts.max}`);
    return v;
  };
}

export const bool: Schema<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, 'must be true or false'));

export function oneOf<const T extends readonly (string | number)[]>(values: T): Schema<T[number]> {
  return (v, at) =>
    (values as readonly unknown[]).includes(v) ? (v as T[number]) : fail(at, `must be one of ${values.join(', ')}`);
}

export function arr<T>(item: Schema<T>, maxItems: number): Schema<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) return fail(at, 'must be an array');
    if (v.length > maxItems) return fail(at, `must have at most ${maxItems} items`);
    return v.map((x, i) => item(x, `${at}[${i}]`));
  };
}

type Shape = Record<string, Schema<unknown>>;
type Required_<R extends Shape> = { [K in keyof R]: Infer<R[K]> };
type Optional_<O extends Shape> = { [K in keyof O]?: Infer<O[K]> };
type Flat<T> = { [K in keyof T]: T[K] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A strict object: required keys must be present, optional keys may be absent (or undefined), nothing else. */
export function obj<R extends Shape, O extends Shape = Record<never, never>>(
  required: R,
  optional?: O,
): Schema<Flat<Required_<R> & Optional_<O>>> {
  return (v, at) => {
    if (!isPlainObject(v)) return fail(at, 'must be an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(required, key) && !(optional && Object.hasOwn(optional, key))) {
        return fail(`${at}.${key}`, 'is not an allowed field');
      }
    }
    for (const [key, schema] of Object.entries(required)) {
      if (!Object.hasOwn(v, key) || v[key] === undefined) return fail(`${at}.${key}`, 'is required');
      out[key] = schema(v[key], `${at}.${key}`);
    }
    for (const [key, schema] of Object.entries(optional ?? {})) {
      if (Object.hasOwn(v, key) && v[key] !== undefined) out[key] = schema(v[key], `${at}.${key}`);
    }
    return out as Flat<Required_<R> & Optional_<O>>;
  };
}

/** A union of strict objects told apart by a string `kind` field. */
export function byKind<M extends Record<string, Schema<{ kind: string }>>>(variants: M): Schema<Infer<M[keyof M]>> {
  return (v, at) => {
    if (!isPlainObject(v)) return fail(at, 'must be an object');
    const kind = v.kind;
    if (typeof kind !== 'string' || !Object.hasOwn(variants, kind)) {
      return fail(`${at}.kind`, `must be one of ${Object.keys(variants).join(', ')}`);
    }
    return variants[kind]!(v, at) as Infer<M[keyof M]>;
  };
}

/** Exactly one of several strict object shapes, chosen by which key is present. */
export function oneKeyOf<M extends Record<string, Schema<unknown>>>(variants: M): Schema<Infer<M[keyof M]>> {
  return (v, at) => {
    if (!isPlainObject(v)) return fail(at, 'must be an object');
    const keys = Object.keys(variants).filter((k) => Object.hasOwn(v, k));
    if (keys.length !== 1) return fail(at, `must have exactly one of ${Object.keys(variants).join(', ')}`);
    return variants[keys[0]!]!(v, at) as Infer<M[keyof M]>;
  };
}

/** No payload: undefined, null or {} all mean "nothing" and become undefined. */
export const none: Schema<undefined> = (v, at) => {
  if (v === undefined || v === null) return undefined;
  if (isPlainObject(v) && Object.keys(v).length === 0) return undefined;
  return fail(at, 'must be empty');
};

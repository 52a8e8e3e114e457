/**
 * Which WebDAV URLs we agree to send credentials to.
 * https is required. Plain http is accepted for loopback (127.0.0.0/8, ::1, localhost) and, with the explicit
 * allowInsecureHttp opt-in, for private-network addresses only (a NAS in the shop). Everything else is INSECURE_URL,
 * decided before any network access. Credentials embedded in the URL are taken out of it.
 */
import { isIP } from 'node:net';
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import { RempartError } from '../../base/errors.js';

export interface ParsedWebdavUrl {
  /** Base collection URL, no credentials, always ending with '/'. */
  base: URL;
  /** The same, as a string safe to show and store. */
  location: string;
  /** Credentials found in the URL (user@host or user:pass@host), decoded. */
  username?: string;
  password?: string;
  insecureHttp: boolean;
  /** True when the host is a name (not an IP literal) that must be resolved before http is allowed. */
  needsPrivateResolution: boolean;
}

export function isLoopbackAddress(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** RFC 1918, link-local, CGNAT (100.64/10), IPv6 ULA and link-local. */
export function isPrivateAddress(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (isLoopbackAddress(h)) return true;
  if (isIP(h) === 4) {
    const [a = 0, b = 0] = h.split('.').map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(h) === 6) {
    if (h.startsWith('::ffff:')) return isPrivateAddress(h.slice(7));
    return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h);
  }
  return false;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Removes credentials from any URL found in a piece of text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1');
}

/** Parses and checks a WebDAV URL synchronously; never touches the network. */
export function parseWebdavUrl(raw: string, opts: { allowInsecureHttp?: boolean } = {}): ParsedWebdavUrl {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new RempartError('INVALID_CONFIG', `not a valid URL: ${redactUrlCredentials(raw)}`);
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const location = url.toString();
  const host = url.hostname;
  if (url.protocol === 'https:') {
    return { base: url, location, username, password, insecureHttp: false, needsPrivateResolution: false };
  }
  if (url.protocol !== 'http:') {
    throw new RempartError('INVALID_CONFIG', `unsupported URL scheme ${url.protocol} (use https://): ${location}`);
  }
  if (isLoopbackAddress(host)) {
    return { base: url, location, username, password, insecureHttp: true, needsPrivateResolution: false };
  }
  if (!opts.allowInsecureHttp) {
    throw new RempartError('INSECURE_URL', `plain http is only accepted for loopback unless explicitly allowed: ${location}`, {
      details: { host },
    });
  }
  if (isIP(stripBrackets(host))) {
    if (!isPrivateAddress(host)) {
      throw new RempartError('INSECURE_URL', `plain http is only allowed to a private-network address, not ${host}`, {
        details: { host },
      });
    }
    return { base: url, location, username, password, insecureHttp: true, needsPrivateResolution: false };
  }
  return { base: url, location, username, password, insecureHttp: true, needsPrivateResolution: true };
}

/** For http to a host name (allowInsecureHttp): every address it resolves to must be private. */
export async function checkPrivateResolution(parsed: ParsedWebdavUrl): Promise<void> {
  if (!parsed.needsPrivateResolution) return;
  const host = parsed.base.hostname;
  let addrs: { address: string }[];
  try {
    addrs = await lookup(host, { all: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
    throw new RempartError('NETWORK_UNREACHABLE', `cannot resolve ${host}: ${code}`, {
      retryable: code === 'EAI_AGAIN',
      details: { host },
    });
  }
  const pub = addrs.find((a) => !isPrivateAddress(a.address));
  if (pub) {
    throw new RempartError('INSECURE_URL', `plain http refused: ${host} resolves to a public address (${pub.address})`, {
      details: { host },
    });
  }
}

/** dns.lookup that refuses public addresses (error code ERR_REMPART_INSECURE, mapped to INSECURE_URL). */
export const privateOnlyLookup = ((host: string, opts: dns.LookupOptions, cb: (...a: unknown[]) => void) => {
  dns.lookup(host, { ...opts, all: true }, (err, addrs) => {
    if (err) return cb(err);
    const list = addrs as dns.LookupAddress[];
    const pub = list.find((a) => !isPrivateAddress(a.address));
    if (pub) {
      return cb(Object.assign(new Error(`plain http refused: ${host} resolves to a public address (${pub.address})`), {
        code: 'ERR_REMPART_INSECURE',
      }));
    }
    if (opts.all) return cb(null, list);
    return cb(null, list[0]!.address, list[0]!.family);
  });
}) as unknown as typeof dns.lookup;

/** Joins a repository-relative path onto the base URL, percent-encoding each segment. */
export function resolvePath(base: URL, path: string, opts: { collection?: boolean } = {}): string {
  const segs = path.split('/').filter(Boolean).map((s) => encodeURIComponent(s));
  let p = base.pathname + segs.join('/');
  if (opts.collection && !p.endsWith('/')) p += '/';
  return base.origin + p;
}

/** Checks a repository-relative path (the BlobStore contract: '/'-separated, relative, no '..'). */
export function checkRepoPath(path: string): void {
  const bad =
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..') ||
    /[\x00-\x1f]/.test(path);
  if (bad) throw new RempartError('INVALID_INPUT', `invalid repository path: ${JSON.stringify(path)}`);
}

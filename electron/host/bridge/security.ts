/**
 * Pure request checks for the loopback bridge (Kopia-style: 127.0.0.1 only, a fresh random secret per launch).
 *  - the token: 32 random bytes, compared in constant time;
 *  - the Host header must name our own loopback address and port (defeats DNS rebinding);
 *  - Origin, when present, must be that same origin; Sec-Fetch-Site, when present, same-origin or none (CSRF from other local ports).
 * Also the security headers every response carries (shared with the Electron shell's custom protocol).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'rempart_token';

/** Strict CSP: everything from our own origin, images also from data: (QR code), no framing, no plugins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
};

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (hashing first makes lengths equal, so the length is not leaked either). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 512) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  return typeof hostHeader === 'string' && allowedHosts(port).includes(hostHeader.toLowerCase());
}

/** Origin is optional (same-origin GETs omit it); when sent it must be exactly ours. */
export function originAllowed(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  return allowedHosts(port).some((h) => originHeader.toLowerCase() === `http://${h}`);
}

/** Fetch metadata: a browser marks requests coming from other sites / other local ports. */
export function fetchSiteAllowed(secFetchSite: string | undefined): boolean {
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

export interface TokenSources {
  authorization?: string;
  cookie?: string;
  query?: string | null;
}

export type TokenSource = 'bearer' | 'query' | 'cookie';

/**
 * Which credential authenticated the request, or null. Precedence: Bearer, then ?token=, then the cookie; only the first
 * presented one is checked (a stale cookie from an earlier launch must not block the fresh ?token= URL).
 */
export function authenticate(expected: string, src: TokenSources): TokenSource | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(src.authorization ?? '')?.[1];
  const cookie = parseCookie(src.cookie ?? '')[TOKEN_COOKIE];
  const presented: [TokenSource, string | undefined | null][] = [
    ['bearer', bearer],
    ['query', src.query],
    ['cookie', cookie],
  ];
  const first = presented.find(([, v]) => typeof v === 'string' && v.length > 0);
  if (!first) return null;
  return tokenMatches(expected, first[1]) ? first[0] : null;
}

export function parseCookie(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !Object.hasOwn(out, k)) out[k] = part.slice(i + 1).trim();
  }
  return out;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

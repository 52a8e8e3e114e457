/**
 * PROPFIND requests and their multistatus answers, parsed with the webdav client's own XML helpers.
 * Depth-infinity is refused by Apache by default, so recursive listings walk collections with Depth 1.
 */
import { webdavLibrary, type DavSession } from './dav-session.js';

export interface DavEntry {
  /** Repository-relative path ('' = the base collection). */
  path: string;
  collection: boolean;
  size: number;
  /** Raw getetag value, quotes kept (the client's own stat strips them), or null. */
  etag: string | null;
  props: Record<string, unknown>;
}

const QUOTA_BODY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>' +
  '<d:quota-available-bytes/><d:quota-used-bytes/><d:resourcetype/></d:prop></d:propfind>';

function hrefToPath(session: DavSession, href: string): string | null {
  let pathname: string;
  try {
    pathname = new URL(href, session.parsed.base).pathname;
  } catch {
    return null;
  }
  const decoded = pathname.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  }).join('/');
  const basePath = session.parsed.base.pathname
    .split('/')
    .map((s) => decodeURIComponent(s))
    .join('/');
  const baseNoSlash = basePath.replace(/\/$/, '');
  if (decoded === baseNoSlash || decoded === basePath) return '';
  if (!decoded.startsWith(basePath)) return null;
  return decoded.slice(basePath.length).replace(/\/$/, '');
}

export async function parseMultistatus(session: DavSession, xml: string): Promise<DavEntry[]> {
  const result = await (await webdavLibrary()).parseXML(xml);
  const out: DavEntry[] = [];
  for (const r of result.multistatus.response) {
    const href = String((r as { href?: unknown }).href ?? '');
    const path = hrefToPath(session, href);
    const propstat = (r as { propstat?: { prop?: Record<string, unknown>; status?: string } }).propstat;
    if (path === null || !propstat?.prop) continue;
    if (propstat.status && /\s(4|5)\d\d\s/.test(` ${propstat.status} `)) continue;
    const props = propstat.prop;
    const rt = props.resourcetype;
    const collection = typeof rt === 'object' && rt !== null && 'collection' in rt;
    const rawEtag = props.getetag;
    out.push({
      path,
      collection,
      size: Number.parseInt(String(props.getcontentlength ?? '0'), 10) || 0,
      etag: typeof rawEtag === 'string' || typeof rawEtag === 'number' ? String(rawEtag) : null,
      props,
    });
  }
  return out;
}

/** One PROPFIND attempt. Returns null on 404 (missing). */
export async function propfindOnce(
  session: DavSession,
  path: string,
  depth: 0 | 1,
  opts: { collection?: boolean; body?: string; signal?: AbortSignal } = {},
): Promise<DavEntry[] | null> {
  const r = await session.send({
    method: 'PROPFIND',
    path,
    collection: opts.collection,
    headers: {
      Depth: String(depth),
      Accept: 'application/xml,text/xml',
      ...(opts.body ? { 'Content-Type': 'application/xml; charset=utf-8' } : {}),
    },
    body: opts.body,
    signal: opts.signal,
    accept: [404],
  });
  if (r.status === 404) return null;
  return parseMultistatus(session, r.text);
}

/**
 * Quota properties of the base collection, or of its parent while the repository folder does not exist yet
 * (the setup wizard asks before init). Nulls when the server does not say (Apache, rclone).
 */
export async function quotaOnce(session: DavSession, signal?: AbortSignal): Promise<{ free: number | null; used: number | null }> {
  const num = (v: unknown): number | null => {
    if (v === undefined || v === null || v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : null; // -1/-2 unknown, -3 unlimited (Nextcloud)
  };
  for (const url of [session.url('', true), new URL('..', session.parsed.base).toString()]) {
    const r = await session.send({
      method: 'PROPFIND',
      path: '',
      url,
      headers: { Depth: '0', Accept: 'application/xml,text/xml', 'Content-Type': 'application/xml; charset=utf-8' },
      body: QUOTA_BODY,
      signal,
      accept: [404],
    });
    if (r.status === 404) continue;
    const first = (await (await webdavLibrary()).parseXML(r.text)).multistatus.response[0] as { propstat?: { prop?: Record<string, unknown> } } | undefined;
    const props = first?.propstat?.prop ?? {};
    return { free: num(props['quota-available-bytes']), used: num(props['quota-used-bytes']) };
  }
  return { free: null, used: null };
}

/** A quoted 32-hex ETag looks like a content MD5 (sabre FSExt, rclone --etag-hash MD5, many NAS). */
export function etagMd5(etag: string | null): string | null {
  if (!etag) return null;
  const m = /^"?([0-9a-f]{32})"?$/i.exec(etag.trim());
  return m ? m[1]!.toLowerCase() : null;
}

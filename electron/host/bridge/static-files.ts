/**
 * Serving the built renderer (dist/renderer) from a folder: safe path resolution (no escape from the root, no dotfiles),
 * content types, and the single-page-app fallback to index.html. Shared by the bridge and the Electron shell's app:// protocol.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file under root, or null when the path is malformed, escapes the root, or names a dotfile.
 * "/" and paths without an extension map to index.html (client-side routes).
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const last = segments.at(-1) ?? '';
  const rel = segments.length === 0 || extname(last) === '' ? ['index.html'] : segments;
  const absRoot = resolve(root);
  const file = resolve(join(absRoot, ...rel));
  if (file !== absRoot && !file.startsWith(absRoot + sep)) return null;
  return file;
}

export interface StaticFile {
  body: Buffer;
  type: string;
  /** index.html must not be cached (it names the hashed assets); hashed assets may be. */
  cacheControl: string;
}

export async function loadStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return null;
  try {
    if (!(await stat(file)).isFile()) return null;
    const body = await readFile(file);
    const isIndex = file.endsWith(`${sep}index.html`);
    return { body, type: contentType(file), cacheControl: isIndex ? 'no-store' : 'private, max-age=3600' };
  } catch {
    return null;
  }
}

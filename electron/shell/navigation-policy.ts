/**
 * Where the window may go (Electron security checklist #13-#15), as pure functions:
 *  - the UI is served from our privileged app:// scheme; navigation is allowed only within that origin (compared parsed, not startsWith);
 *  - new windows are always denied; links to the outside open in the browser only for allowlisted https hosts.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'rempart';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** https hosts the UI may open in the user's browser (help pages). Nothing else leaves the app. */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com'];

/** "scheme://host[:port]" of a URL, or null. (URL.origin is "null" for non-special schemes such as app:, so build it.) */
export function appOriginOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (!u.host) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function isAppUrl(url: string): boolean {
  return appOriginOf(url) === APP_ORIGIN;
}

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password && u.port === '' && EXTERNAL_HOSTS.includes(u.hostname);
  } catch {
    return false;
  }
}

/** Downloads: only files the UI itself made (blob: URLs of our origin, e.g. « Enregistrer » the monthly report). */
export function isAllowedDownload(url: string): boolean {
  return url.startsWith('blob:') && appOriginOf(url.slice('blob:'.length)) === APP_ORIGIN;
}

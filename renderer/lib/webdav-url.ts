/** Client-side check of a WebDAV address before asking the main process (which re-validates everything). */
export function isAcceptableWebdavUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  // Plain http only to this computer (local test servers); the main process enforces the same rule (INSECURE_URL).
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export function hostOf(value: string): string {
  try {
    return new URL(value).host;
  } catch {
    return value;
  }
}

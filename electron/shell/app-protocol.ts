/**
 * The UI is served from a privileged custom scheme, app://rempart/, straight from dist/renderer (never file://, never
 * the network): a real origin for the navigation and IPC sender checks, and our own security headers on every response.
 */
import { protocol, type Session } from 'electron';
import { loadStatic } from '../host/bridge/static-files.js';
import { SECURITY_HEADERS } from '../host/bridge/security.js';
import { APP_HOST, APP_SCHEME } from './navigation-policy.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function reply(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

export function serveAppScheme(session: Session, staticDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return reply(404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Method not allowed.');
    const file = await loadStatic(staticDir, url.pathname);
    if (!file) return reply(404, 'Not found.');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: 200,
      headers: { 'Content-Type': file.type, 'Cache-Control': file.cacheControl, ...SECURITY_HEADERS },
    });
  });
}

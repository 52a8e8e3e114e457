/**
 * The one window and the hardening applied to it (Electron security checklist): context isolation, sandbox, no Node in
 * the renderer, strict CSP header, no permissions, navigation only within app://rempart, window.open always denied,
 * openExternal only for allowlisted https URLs, no <webview>.
 */
import { app, BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/bridge/security.js';
import { APP_ENTRY_URL, isAllowedDownload, isAllowedExternalUrl, isAppUrl } from './navigation-policy.js';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath: string;
  show: boolean;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Rempart',
    icon: opts.iconPath,
    backgroundColor: '#f5f6f2',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => {
    if (opts.show) win.show();
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Session-wide: CSP on every response, every permission refused (camera, notifications from the page…), downloads limited. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // Electron asks where to save (no savePath set); anything not made by the UI itself is refused.
  session.on('will-download', (event, item) => {
    if (!isAllowedDownload(item.getURL())) event.preventDefault();
  });
}

/** Applied to every WebContents the app creates (app 'web-contents-created'). */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

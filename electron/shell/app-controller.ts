/**
 * Wires the running host to the desktop: the window (created on demand, hidden to the tray on close), the tray, the
 * IPC handlers, host events forwarded to the renderer, start-at-login, and the guarded quit (asks while a run is going).
 */
import { app, BrowserWindow, dialog, ipcMain, Notification, powerMonitor } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, type EventName, type RempartApi, type RempartEvents, type SettingsDto, type StatusDto } from '../contract/api.js';
import type { Lang } from '../../locales/format.js';
import { registerIpc } from './ipc.js';
import { APP_ORIGIN } from './navigation-policy.js';
import { runInProgress, onWindowClose } from './quit-policy.js';
import { RempartTray } from './tray.js';
import { shellText } from './tray-model.js';
import type { Screen } from './notification-policy.js';
import { createMainWindow } from './window.js';
import { loginItemChange, shellApi } from './shell-api.js';

/** The orchestrator's Host (electron/host/host.ts), as far as the shell uses it. */
export interface ShellHost {
  api: RempartApi;
  on<E extends EventName>(event: E, fn: (payload: RempartEvents[E]) => void): () => void;
  stop(): Promise<void>;
}

export interface ControllerOptions {
  host: ShellHost;
  preloadPath: string;
  iconPath: string;
  assetsDir: string;
  startHidden: boolean;
  applyLoginItem: (enabled: boolean) => Promise<void>;
  /** Called once the host is stopped, before the app exits (release the instance lock). */
  onShutdown: () => Promise<void>;
  log: (message: string) => void;
}

const STOP_TIMEOUT_MS = 15_000;
const STATUS_REFRESH_MS = 60_000;

export class AppController {
  private win: BrowserWindow | null = null;
  private tray: RempartTray | null = null;
  private status: StatusDto | null = null;
  private settings: SettingsDto | null = null;
  private quitting = false;
  private shutdownDone = false;
  private toldAboutTray = false;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly opts: ControllerOptions) {}

  lang(): Lang {
    return this.settings?.language ?? 'fr';
  }

  notificationsEnabled(): boolean {
    return this.settings?.alerts.desktopNotifications ?? true;
  }

  async start(): Promise<void> {
    const { host } = this.opts;
    const api = shellApi(host.api, { settingsSaved: (settings) => this.onSettings(settings) });
    this.offs.push(registerIpc(ipcMain, { api, trusted: () => this.trusted(), log: this.opts.log }));
    for (const name of EVENT_NAMES) {
      this.offs.push(host.on(name, (payload) => this.forward(name, payload)));
    }
    this.offs.push(host.on('status', (s) => this.onStatus(s)));
    this.tray = new RempartTray({ assetsDir: this.opts.assetsDir, lang: () => this.lang(), onAction: (a) => void this.onTrayAction(a) });
    await this.refreshSettings();
    await this.refreshStatus();
    // Ages in the tray menu ("il y a 3 heures") move on even when no event comes.
    const ticker = setInterval(() => void this.refreshStatus(), STATUS_REFRESH_MS);
    ticker.unref();
    this.offs.push(() => clearInterval(ticker));
    app.on('before-quit', (event) => {
      if (this.shutdownDone) return;
      event.preventDefault();
      void this.requestQuit();
    });
    app.on('window-all-closed', () => undefined); // keep running in the tray
    // The computer is shutting down or the session ends: no question, stop cleanly (the run resumes next time).
    powerMonitor.on('shutdown', () => void this.requestQuit({ ask: false }));
    app.on('activate', () => this.showWindow());
    if (!this.opts.startHidden || this.status?.configured === false) this.showWindow();
  }

  private trusted() {
    const win = this.win;
    if (!win || win.isDestroyed()) return null;
    return { webContentsId: win.webContents.id, origin: APP_ORIGIN };
  }

  private forward<E extends EventName>(event: E, payload: RempartEvents[E]): void {
    const win = this.win;
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
  }

  private onStatus(status: StatusDto): void {
    this.status = status;
    this.tray?.update(status);
  }

  private async refreshStatus(): Promise<void> {
    const r = await this.opts.host.api.getStatus().catch(() => null);
    if (r?.ok) this.onStatus(r.value);
  }

  private async refreshSettings(): Promise<void> {
    const r = await this.opts.host.api.getSettings();
    if (r.ok && r.value) await this.onSettings(r.value);
  }

  private async onSettings(settings: SettingsDto): Promise<void> {
    const before = this.settings;
    this.settings = settings;
    if (before?.language !== settings.language) this.tray?.update(this.status);
    const login = loginItemChange(before, settings);
    if (login !== null) {
      await this.opts.applyLoginItem(login).catch((e: unknown) => this.opts.log(`login item: ${String(e)}`));
    }
  }

  private async onTrayAction(action: 'backupNow' | 'open' | 'quit'): Promise<void> {
    if (action === 'open') return this.showWindow();
    if (action === 'quit') return this.requestQuit();
    const r = await this.opts.host.api.backupNow({});
    if (!r.ok) this.opts.log(`backup from tray: ${r.error.code} ${r.error.message}`);
  }

  showWindow(screen?: Screen): void {
    if (this.quitting) return;
    if (!this.win || this.win.isDestroyed()) {
      const win = createMainWindow({ preloadPath: this.opts.preloadPath, iconPath: this.opts.iconPath, show: true });
      win.on('close', (event) => {
        if (onWindowClose(this.quitting) === 'close') return;
        event.preventDefault();
        win.hide();
        this.tellAboutTray();
      });
      win.on('session-end', () => void this.requestQuit({ ask: false }));
      win.on('closed', () => {
        if (this.win === win) this.win = null;
      });
      this.win = win;
      if (screen) win.webContents.once('did-finish-load', () => this.forward('navigate', { screen }));
      return;
    }
    if (this.win.isMinimized()) this.win.restore();
    this.win.show();
    this.win.focus();
    if (screen) this.forward('navigate', { screen });
  }

  private tellAboutTray(): void {
    if (this.toldAboutTray) return;
    this.toldAboutTray = true;
    const lang = this.lang();
    if (!Notification.isSupported()) return;
    const body = shellText(lang, 'background.body');
    new Notification({ title: shellText(lang, 'background.title'), body, icon: this.opts.iconPath, silent: true }).show();
  }

  /** Quit from the tray, the menu or the OS: ask first while a copy is running, then stop the host cleanly. */
  async requestQuit(opts: { ask: boolean } = { ask: true }): Promise<void> {
    if (this.quitting) return;
    if (opts.ask && runInProgress(this.status)) {
      const lang = this.lang();
      const options = {
        type: 'warning' as const,
        title: shellText(lang, 'quit.title'),
        message: shellText(lang, 'quit.title'),
        detail: shellText(lang, 'quit.message'),
        buttons: [shellText(lang, 'quit.cancel'), shellText(lang, 'quit.confirm')],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const win = this.win && !this.win.isDestroyed() && this.win.isVisible() ? this.win : null;
      const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      if (response !== 1) return;
    }
    this.quitting = true;
    for (const off of this.offs.splice(0)) off();
    const stopped = this.opts.host.stop().catch((e: unknown) => this.opts.log(`host stop: ${String(e)}`));
    await Promise.race([stopped, new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
    await this.opts.onShutdown().catch(() => undefined);
    this.tray?.destroy();
    this.shutdownDone = true;
    app.quit();
  }
}

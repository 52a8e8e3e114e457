/**
 * Electron main process entry (bundled to dist/electron/shell/main.js by scripts/build.mjs).
 * One instance per user; the host (orchestrator + engine) runs in this process; the UI is served from app://rempart.
 * Started at login with --hidden (or by the OS login item): no window, just the tray.
 */
import { app, dialog, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { startHost } from '../host/host.js';
import { FileSecretStore, type SecretStore } from '../host/ports.js';
import { acquireInstanceLock } from '../host/single-instance.js';
import { AppController } from './app-controller.js';
import { APP_ID, APP_NAME } from './app-identity.js';
import { registerAppScheme, serveAppScheme } from './app-protocol.js';
import { watchingDriveLister } from './drives.js';
import { HIDDEN_FLAG, setLinuxAutostart } from './login-item.js';
import { ElectronNotifier } from './notifications.js';
import { electronPathOpener, electronPowerEvents } from './power.js';
import { startedHidden } from './quit-policy.js';
import { SafeStorageSecretStore, UpgradingSecretStore, type Encryptor } from './secrets.js';
import { shellText } from './tray-model.js';
import { hardenContents, hardenSession } from './window.js';

const log = (message: string) => process.stderr.write(`[rempart] ${message}\n`);

// userData = <appData>/Rempart on every OS, the folder `npm run web` uses by default too.
app.setName(APP_NAME);
if (process.platform === 'win32') app.setAppUserModelId(APP_ID); // Windows shows notifications only for a known AppUserModelID
app.setPath('userData', join(app.getPath('appData'), APP_NAME));
registerAppScheme();
app.on('web-contents-created', (_event, contents) => hardenContents(contents));

let controller: AppController | null = null;

/** safeStorage, except Linux's "basic_text" backend (a fixed key, no keyring): then the 0600 file store is as good. */
const osEncryptor: Encryptor = {
  isEncryptionAvailable: () =>
    safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encryptString: (s) => safeStorage.encryptString(s),
  decryptString: (b) => safeStorage.decryptString(b),
};

/** The command the OS runs at login: the executable (plus the app folder when not packaged) and --hidden. */
function loginCommand(): string[] {
  return app.isPackaged ? [process.env.APPIMAGE ?? process.execPath, HIDDEN_FLAG] : [process.execPath, app.getAppPath(), HIDDEN_FLAG];
}

async function applyLoginItem(enabled: boolean): Promise<void> {
  if (!app.isPackaged) {
    log(`start at login ${enabled ? 'on' : 'off'}: not registered for a development run`);
    return;
  }
  if (process.platform === 'linux') {
    await setLinuxAutostart(enabled, loginCommand());
    return;
  }
  const [path, ...args] = loginCommand();
  app.setLoginItemSettings({ openAtLogin: enabled, path, args });
}

async function boot(): Promise<void> {
  const dataDir = app.getPath('userData');
  const lock = await acquireInstanceLock(dataDir); // also keeps browser mode (npm run web) off the same data
  const root = app.getAppPath();
  const assetsDir = join(root, 'assets');
  const iconPath = join(assetsDir, 'icon.png');

  hardenSession(session.defaultSession);
  serveAppScheme(session.defaultSession, join(root, 'dist', 'renderer'));

  const safe = new SafeStorageSecretStore(dataDir, osEncryptor);
  const plain = new FileSecretStore(dataDir);
  let secrets: SecretStore = new UpgradingSecretStore(safe, plain);
  if (!safe.available()) {
    log('no OS key store (safeStorage unavailable): secrets kept in a file readable only by this user');
    secrets = plain;
  }
  const notifier = new ElectronNotifier(
    iconPath,
    (screen) => controller?.showWindow(screen),
    () => controller?.notificationsEnabled() ?? true,
  );
  const host = await startHost({
    dataDir,
    ports: { notifier, secrets, drives: watchingDriveLister(), power: electronPowerEvents, opener: electronPathOpener },
  });
  const [path, ...args] = loginCommand();
  const openedAtLogin = process.platform === 'linux' ? false : app.getLoginItemSettings({ path, args }).wasOpenedAtLogin;
  controller = new AppController({
    host,
    preloadPath: join(root, 'dist', 'electron', 'shell', 'preload.cjs'),
    iconPath,
    assetsDir,
    startHidden: startedHidden(process.argv, openedAtLogin),
    applyLoginItem,
    onShutdown: () => lock.release(),
    log,
  });
  await controller.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => controller?.showWindow());
  app
    .whenReady()
    .then(boot)
    .catch((err: unknown) => {
      log(`start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      dialog.showErrorBox(shellText('fr', 'startup.failed'), err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}

/**
 * Start at login, hidden in the tray. Windows and macOS: app.setLoginItemSettings (args: --hidden). Linux, where Electron
 * has no login-item API: an XDG autostart entry (~/.config/autostart/rempart.desktop) running the app with --hidden.
 * The Linux part is plain Node (unit-tested); main.ts picks the mechanism.
 */
import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../host/fs-atomic.js';

export const HIDDEN_FLAG = '--hidden';

export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
}

/** Quotes an Exec argument per the Desktop Entry spec. */
function execArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Rempart',
    'Comment=Sauvegardes automatiques / automatic backups',
    `Exec=${command.map(execArg).join(' ')}`,
    'Icon=rempart',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the autostart entry. `command` = executable (+ app path when unpackaged) + --hidden. */
export async function setLinuxAutostart(enabled: boolean, command: readonly string[], dir = autostartDir()): Promise<string> {
  const file = join(dir, 'rempart.desktop');
  if (!enabled) {
    await rm(file, { force: true });
    return file;
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, autostartEntry(command), 0o644);
  return file;
}

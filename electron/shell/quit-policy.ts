/** Pure decisions about closing and quitting (main.ts wires them to Electron events). */
import type { StatusDto } from '../contract/api.js';

/** Quitting interrupts a run: ask first. */
export function runInProgress(status: StatusDto | null): boolean {
  if (!status) return false;
  return status.overall === 'running' || status.targets.some((t) => t.state === 'running' || t.progress !== null);
}

/** Started at login (by the OS login item, or with --hidden): stay in the tray, no window. */
export function startedHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes('--hidden');
}

export type CloseDecision = 'hide-to-tray' | 'close';

/** Closing the window keeps backups running in the tray, unless the app is really quitting. */
export function onWindowClose(quitting: boolean): CloseDecision {
  return quitting ? 'close' : 'hide-to-tray';
}

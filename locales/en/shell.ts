/** English strings of the desktop shell (see ../fr/shell.ts). */
import type { ShellKey } from '../fr/shell.js';

export const shell: Record<ShellKey, string> = {
  'tray.tooltip': 'Rempart — {status}',
  'tray.copyAge': '{copy}: last copy {age}',
  'tray.copyNever': '{copy}: no copy yet',
  'tray.copyRunning': '{copy}: copying…',
  'tray.backupNow': 'Back up now',
  'tray.open': 'Open Rempart',
  'tray.quit': 'Quit',
  'tray.starting': 'Rempart is starting…',
  'quit.title': 'A backup is running',
  'quit.message': 'A backup is running. If you quit now it will be interrupted and resume at the next opportunity.',
  'quit.confirm': 'Quit anyway',
  'quit.cancel': 'Keep backing up',
  'background.title': 'Rempart keeps watch',
  'background.body': 'Backups keep running in the background. Rempart stays available in the notification area.',
  'startup.failed': 'Rempart could not start',
};

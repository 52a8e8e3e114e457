/**
 * French strings of the desktop shell: tray menu, tooltip, quit confirmation (owned by the Electron shell).
 * The one-line status reuses the UI's « overall.* » sentences (./ui.ts).
 */
export const shell = {
  'tray.tooltip': 'Rempart — {status}',
  'tray.copyAge': '{copy} : dernière copie {age}',
  'tray.copyNever': '{copy} : aucune copie pour l\u2019instant',
  'tray.copyRunning': '{copy} : copie en cours…',
  'tray.backupNow': 'Sauvegarder maintenant',
  'tray.open': 'Ouvrir Rempart',
  'tray.quit': 'Quitter',
  'tray.starting': 'Rempart démarre…',
  'quit.title': 'Une sauvegarde est en cours',
  'quit.message': 'Une sauvegarde est en cours. Si vous quittez maintenant, elle sera interrompue et reprendra à la prochaine occasion.',
  'quit.confirm': 'Quitter quand même',
  'quit.cancel': 'Continuer la sauvegarde',
  'background.title': 'Rempart continue de veiller',
  'background.body': 'Les sauvegardes continuent en arrière-plan. Rempart reste disponible dans la zone de notification.',
  'startup.failed': 'Rempart n\u2019a pas pu démarrer',
} as const;

export type ShellKey = keyof typeof shell;

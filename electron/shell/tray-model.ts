/**
 * What the tray shows, as plain data (tray.ts turns it into an Electron Tray + Menu):
 * the icon for the overall level, a tooltip, and the menu — one-line status, the age of each copy,
 * « Sauvegarder maintenant », « Ouvrir Rempart », « Quitter ».
 */
import type { OverallLevel, StatusDto, TargetStatusDto } from '../contract/api.js';
import { formatAge, interpolate, type Lang } from '../../locales/format.js';
import { ui as frUi } from '../../locales/fr/ui.js';
import { ui as enUi } from '../../locales/en/ui.js';
import { shell as frShell, type ShellKey } from '../../locales/fr/shell.js';
import { shell as enShell } from '../../locales/en/shell.js';

export type TrayIconName = 'ok' | 'warn' | 'error' | 'running';
export type TrayAction = 'backupNow' | 'open' | 'quit';

export interface TrayItem {
  label: string;
  enabled: boolean;
  action?: TrayAction;
  separatorBefore?: boolean;
}

export interface TrayModel {
  icon: TrayIconName;
  tooltip: string;
  items: TrayItem[];
}

const SHELL: Record<Lang, Record<ShellKey, string>> = { fr: frShell, en: enShell };

function s(lang: Lang, key: ShellKey, vars?: Record<string, string>): string {
  return interpolate(SHELL[lang][key], vars);
}

function overallSentence(lang: Lang, level: OverallLevel): string {
  const table = lang === 'fr' ? frUi : enUi;
  return table[`overall.${level}`];
}

function copyName(lang: Lang, kind: TargetStatusDto['kind']): string {
  const table = lang === 'fr' ? frUi : enUi;
  return kind === 'usb' ? table['common.usb'] : table['common.cloud'];
}

export function trayIconName(level: OverallLevel | null): TrayIconName {
  switch (level) {
    case 'green':
      return 'ok';
    case 'running':
      return 'running';
    case 'red':
      return 'error';
    default:
      return 'warn'; // orange, not set up yet, or unknown
  }
}

export function copyAgeLine(lang: Lang, target: TargetStatusDto, nowIso: string): string {
  const copy = copyName(lang, target.kind);
  if (target.state === 'running') return s(lang, 'tray.copyRunning', { copy });
  if (!target.lastSuccessAt) return s(lang, 'tray.copyNever', { copy });
  return s(lang, 'tray.copyAge', { copy, age: formatAge(target.lastSuccessAt, nowIso, lang) });
}

export function trayModel(status: StatusDto | null, lang: Lang): TrayModel {
  const line = status ? overallSentence(lang, status.overall) : s(lang, 'tray.starting');
  const items: TrayItem[] = [{ label: line, enabled: false }];
  const configured = status?.targets.filter((t) => t.state !== 'unconfigured') ?? [];
  for (const target of configured) items.push({ label: copyAgeLine(lang, target, status!.now), enabled: false });
  const canBackup = !!status && status.configured && status.overall !== 'running';
  items.push({ label: s(lang, 'tray.backupNow'), enabled: canBackup, action: 'backupNow', separatorBefore: true });
  items.push({ label: s(lang, 'tray.open'), enabled: true, action: 'open' });
  items.push({ label: s(lang, 'tray.quit'), enabled: true, action: 'quit', separatorBefore: true });
  return { icon: trayIconName(status?.overall ?? null), tooltip: s(lang, 'tray.tooltip', { status: line }), items };
}

export function shellText(lang: Lang, key: ShellKey): string {
  return s(lang, key);
}

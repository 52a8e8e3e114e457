/**
 * The host's access to its strings (locales/<lang>/alerts.ts). A tiny "{name}" formatter is kept here so the host
 * does not depend on the renderer's helpers; dates and times are formatted with Intl in the user's time zone.
 */
import { alerts as fr, type AlertKey } from '../../locales/fr/alerts.js';
import { alerts as en } from '../../locales/en/alerts.js';

export type Lang = 'fr' | 'en';
export type { AlertKey };

const tables: Record<Lang, Record<AlertKey, string>> = { fr, en };

export function tr(lang: Lang, key: AlertKey, vars: Record<string, string | number> = {}): string {
  const template = (tables[lang] ?? fr)[key] ?? fr[key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'fr-FR');

export function formatTime(lang: Lang, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone, hour: '2-digit', minute: '2-digit' }).format(at);
}

export function formatDate(lang: Lang, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(at);
}

/** "26 heures", "3 jours", "45 minutes". */
export function formatAge(lang: Lang, ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return tr(lang, 'age.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 72) return tr(lang, 'age.hours', { n: hours });
  return tr(lang, 'age.days', { n: Math.floor(hours / 24) });
}

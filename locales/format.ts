/**
 * Plain-language formatting of dates, sizes, durations and counts, per language.
 * French style: « hier à 19 h 32 », « 1,2 Go », « 2 min 30 s », « 1 234 ».
 * Every function takes the time zone explicitly (StatusDto.timeZone) so output never depends on the machine running the UI.
 * Imports nothing but the language type.
 */
export type Lang = 'fr' | 'en';

const locale = (lang: Lang): string => (lang === 'fr' ? 'fr-FR' : 'en-GB');

/** "2026-11-24" for the calendar day of `date` in `timeZone`. */
export function dayKey(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function dayNumber(key: string): number {
  const [y, m, d] = key.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** Whole calendar days between `date` and `now` in `timeZone` (0 = same day, 1 = yesterday, -1 = tomorrow). */
export function daysAgo(date: Date, now: Date, timeZone: string): number {
  return dayNumber(dayKey(now, timeZone)) - dayNumber(dayKey(date, timeZone));
}

/** « 19 h 32 » (no-break spaces, so a time never wraps) / « 19:32 ». */
export function formatTime(iso: string, lang: Lang, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return lang === 'fr' ? `${hour}\u00a0h\u00a0${minute}` : `${String(hour).padStart(2, '0')}:${minute}`;
}

/** « lundi 3 mars 2026 » / « Monday 3 March 2026 ». */
export function formatDate(iso: string, lang: Lang, timeZone: string, withYear = true): string {
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone, weekday: 'long', day: 'numeric', month: 'long', ...(withYear ? { year: 'numeric' } : {}),
  }).format(new Date(iso));
}

/** « aujourd’hui », « hier », « demain », « lundi 3 mars » (year only when not this year). */
export function formatDay(iso: string, nowIso: string, lang: Lang, timeZone: string): string {
  const date = new Date(iso);
  const now = new Date(nowIso);
  const diff = daysAgo(date, now, timeZone);
  if (diff === 0) return lang === 'fr' ? 'aujourd’hui' : 'today';
  if (diff === 1) return lang === 'fr' ? 'hier' : 'yesterday';
  if (diff === -1) return lang === 'fr' ? 'demain' : 'tomorrow';
  const sameYear = dayKey(date, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return formatDate(iso, lang, timeZone, !sameYear);
}

/** « hier à 19 h 32 » / « yesterday at 19:32 ». */
export function formatDayTime(iso: string, nowIso: string, lang: Lang, timeZone: string): string {
  return `${formatDay(iso, nowIso, lang, timeZone)} ${lang === 'fr' ? 'à' : 'at'} ${formatTime(iso, lang, timeZone)}`;
}

/** « il y a 3 heures » / « 3 hours ago »; « dans 20 minutes » for the future. */
export function formatAge(iso: string, nowIso: string, lang: Lang): string {
  const seconds = Math.round((new Date(iso).getTime() - new Date(nowIso).getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(0, 'minute');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 48 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** « 1 234 » (narrow no-break space in French). */
export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

const UNITS: Record<Lang, string[]> = { fr: ['o', 'ko', 'Mo', 'Go', 'To'], en: ['B', 'KB', 'MB', 'GB', 'TB'] };

/** « 1,2 Go » / « 1.2 GB » (powers of 1000, like the operating systems show free space). */
export function formatBytes(bytes: number, lang: Lang): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS[lang].length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  return `${text} ${UNITS[lang][unit]}`;
}

/** « 2 min 30 s », « 1 h 05 min », « 3 j 4 h » / en: « 2 min 30 s », « 1 h 05 min », « 3 d 4 h ». */
export function formatDuration(totalSeconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days} ${lang === 'fr' ? 'j' : 'd'} ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return seconds > 0 && minutes < 10 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** Replaces {name} placeholders; unknown placeholders are left visible so a missing value is noticed, never silently empty. */
export function interpolate(template: string, vars?: Record<string, string | number | boolean | undefined | null>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

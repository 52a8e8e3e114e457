/** Schedules in plain words (« tous les jours à 19 h 30 », « toutes les heures de 9 h à 19 h, du lundi au samedi ») and their checks. */
import type { Schedule, Weekday } from '../../electron/contract/api.js';
import type { UiKey } from '../../locales/index.js';
import type { Translator } from '../i18n/use-t.js';

const MON_TO_FRI = [1, 2, 3, 4, 5];
const MON_TO_SAT = [1, 2, 3, 4, 5, 6];

function sameDays(days: Weekday[], wanted: number[]): boolean {
  const set = new Set(days);
  return set.size === wanted.length && wanted.every((d) => set.has(d as Weekday));
}

/** null when every day; otherwise « du lundi au samedi » or « lundi, mercredi, vendredi ». */
export function daysText(days: Weekday[], tr: Translator): string | null {
  if (days.length === 0 || new Set(days).size === 7) return null;
  if (sameDays(days, MON_TO_FRI)) return tr.t('settings.schedule.summary.weekdays');
  if (sameDays(days, MON_TO_SAT)) return tr.t('settings.schedule.summary.monSat');
  const order = [1, 2, 3, 4, 5, 6, 0];
  return order.filter((d) => days.includes(d as Weekday)).map((d) => tr.t(`day.${d as Weekday}`)).join(', ');
}

export function timeText(hhmm: string, tr: Translator): string {
  const [h, m] = hhmm.split(':').map(Number);
  return tr.lang === 'fr' ? `${h} h ${String(m).padStart(2, '0')}` : `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function scheduleSummary(s: Schedule, tr: Translator): string {
  if (s.kind === 'cron') return tr.t('settings.schedule.summary.cron', { expression: s.expression });
  const days = daysText(s.days, tr);
  if (s.kind === 'daily') {
    const time = timeText(s.time, tr);
    return days ? tr.t('settings.schedule.summary.dailyDays', { time, days }) : tr.t('settings.schedule.summary.daily', { time });
  }
  return days
    ? tr.t('settings.schedule.summary.hourlyDays', { from: s.from, to: s.to, days })
    : tr.t('settings.schedule.summary.hourly', { from: s.from, to: s.to });
}

export function scheduleProblem(s: Schedule): UiKey | null {
  if (s.kind === 'cron') return s.expression.trim().split(/\s+/).length === 5 ? null : 'settings.schedule.invalidTime';
  if (s.kind === 'daily') return /^([01]?\d|2[0-3]):[0-5]\d$/.test(s.time) ? null : 'settings.schedule.invalidTime';
  if (!(s.from >= 0 && s.to <= 23 && s.from < s.to)) return 'settings.schedule.invalidRange';
  return null;
}

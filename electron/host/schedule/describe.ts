/** Plain-language description of a schedule ("du lundi au samedi à 19 h 30"), from locales/<lang>/alerts.ts. */
import type { Schedule } from '../../contract/api.js';
import { tr, type AlertKey, type Lang } from '../texts.js';

function hour(lang: Lang, h: number, m = 0): string {
  const mm = String(m).padStart(2, '0');
  if (lang === 'en') return tr(lang, 'schedule.hourMinute', { h: String(h).padStart(2, '0'), m: mm });
  return m === 0 ? tr(lang, 'schedule.hour', { h }) : tr(lang, 'schedule.hourMinute', { h, m: mm });
}

function days(lang: Lang, ds: number[]): string | null {
  const set = [...new Set(ds)].sort();
  if (set.length === 0 || set.length === 7) return null;
  if (set.join() === '1,2,3,4,5') return tr(lang, 'schedule.mondayToFriday');
  if (set.join() === '1,2,3,4,5,6') return tr(lang, 'schedule.mondayToSaturday');
  const names = set.map((d) => tr(lang, `weekday.${d}` as AlertKey));
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')}${tr(lang, 'schedule.and')}${names[names.length - 1]}`;
  return tr(lang, 'schedule.onDays', { list });
}

export function describeSchedule(lang: Lang, s: Schedule): string {
  if (s.kind === 'daily') {
    const [h, m] = s.time.split(':').map(Number);
    const d = days(lang, s.days);
    return d ? tr(lang, 'schedule.daysAt', { days: d, time: hour(lang, h, m) }) : tr(lang, 'schedule.dailyAt', { time: hour(lang, h, m) });
  }
  if (s.kind === 'hourly') {
    const d = days(lang, s.days);
    const vars = { from: hour(lang, s.from, s.minute), to: hour(lang, s.to, s.minute) };
    return d ? tr(lang, 'schedule.hourlyDays', { ...vars, days: d }) : tr(lang, 'schedule.hourly', vars);
  }
  return tr(lang, 'schedule.cron', { expression: s.expression });
}

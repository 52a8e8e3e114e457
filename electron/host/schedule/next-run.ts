/** Next and previous planned slots of a cron expression in a time zone (day by day over local calendar dates). */
import { parseCron, type CronFields } from './cron-plan.js';
import { localParts, localToInstant } from './zoned-time.js';

const DAY = 86_400_000;
const MAX_DAYS = 366 * 5; // "29 2 *" style expressions still find their date

function dayMatches(f: CronFields, civil: number): boolean {
  const d = new Date(civil);
  if (!f.months.has(d.getUTCMonth() + 1)) return false;
  const domOk = f.daysOfMonth.has(d.getUTCDate());
  const dowOk = f.weekdays.has(d.getUTCDay());
  if (f.domOrDow) return domOk || dowOk;
  return (!f.domRestricted || domOk) && (!f.dowRestricted || dowOk);
}

function slotsOfDay(f: CronFields, civil: number, timeZone: string): number[] {
  const d = new Date(civil);
  const out: number[] = [];
  for (const h of f.hours) {
    for (const m of f.minutes) out.push(localToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, m, timeZone));
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

function civilDayOf(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day);
}

export class CronPlan {
  private readonly fields: CronFields;

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    this.fields = parseCron(expression);
  }

  /** First planned instant strictly after `after`, or null. */
  next(after: number): number | null {
    let civil = civilDayOf(after, this.timeZone) - DAY; // the previous local day may own slots after a gap
    for (let i = 0; i < MAX_DAYS; i++, civil += DAY) {
      if (!dayMatches(this.fields, civil)) continue;
      for (const slot of slotsOfDay(this.fields, civil, this.timeZone)) if (slot > after) return slot;
    }
    return null;
  }

  /** Last planned instant at or before `atOrBefore`, or null. */
  previous(atOrBefore: number): number | null {
    let civil = civilDayOf(atOrBefore, this.timeZone) + DAY;
    for (let i = 0; i < MAX_DAYS; i++, civil -= DAY) {
      if (!dayMatches(this.fields, civil)) continue;
      const slots = slotsOfDay(this.fields, civil, this.timeZone);
      for (let j = slots.length - 1; j >= 0; j--) if (slots[j] <= atOrBefore) return slots[j];
    }
    return null;
  }
}

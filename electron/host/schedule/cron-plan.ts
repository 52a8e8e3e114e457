/**
 * Plain schedules ("every day at 19:30", "every hour from 9 to 19, Monday to Saturday") ⇄ node-cron expressions.
 *
 * Choice: node-cron is used only to VALIDATE and PARSE expressions (validateDetailed / parse: field sets).
 * Firing is ours (./next-run.ts + ./scheduler.ts): node-cron runs free timers on the wall clock, which a FakeClock cannot
 * drive and which cannot "catch up" a missed slot; we compute the next local slot and arm one Clock timer at a time.
 */
import { parse, validateDetailed } from 'node-cron';
import type { Schedule } from '../../contract/api.js';

export interface CronFields {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>; // 1..12
  weekdays: Set<number>; // 0..6, 0 = Sunday
  /** Both day fields restricted: a day matches if EITHER matches (Vixie cron rule). */
  domOrDow: boolean;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const dayList = (days: number[]) => (days.length === 0 || days.length === 7 ? '*' : [...days].sort().join(','));

/** The 5-field cron expression of a schedule. Throws an Error naming the problem for an invalid one. */
export function scheduleToCron(s: Schedule): string {
  let expr: string;
  if (s.kind === 'daily') {
    const m = /^(\d{2}):(\d{2})$/.exec(s.time);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`invalid time "${s.time}" (HH:MM)`);
    expr = `${Number(m[2])} ${Number(m[1])} * * ${dayList(s.days)}`;
  } else if (s.kind === 'hourly') {
    if (s.from > s.to) throw new Error('"from" must not be after "to"');
    const hours = s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`;
    expr = `${s.minute} ${hours} * * ${dayList(s.days)}`;
  } else {
    expr = s.expression.trim().replace(/\s+/g, ' ');
  }
  const fields = expr.split(' ');
  if (fields.length !== 5) throw new Error(`cron expression "${expr}" must have 5 fields (minute hour day month weekday)`);
  const v = validateDetailed(expr);
  if (!v.valid) throw new Error(`invalid cron expression "${expr}": ${v.errors.map((e) => e.message).join('; ')}`);
  return expr;
}

const nums = (xs: (number | string)[]) => xs.filter((x): x is number => typeof x === 'number');

export function parseCron(expr: string): CronFields {
  const p = parse(expr);
  const [, , dom, , dow] = expr.trim().split(/\s+/);
  const domRestricted = dom !== '*' && dom !== '?';
  const dowRestricted = dow !== '*' && dow !== '?';
  return {
    minutes: [...new Set(p.minute)].sort((a, b) => a - b),
    hours: [...new Set(p.hour)].sort((a, b) => a - b),
    daysOfMonth: new Set(nums(p.dayOfMonth)),
    months: new Set(p.month),
    weekdays: new Set(nums(p.dayOfWeek).map((d) => d % 7)),
    domOrDow: domRestricted && dowRestricted,
    domRestricted,
    dowRestricted,
  };
}

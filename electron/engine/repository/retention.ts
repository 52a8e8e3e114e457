/**
 * Retention (restic's `forget --keep-*` semantics) in the shop's local time: walking snapshots newest first, a
 * snapshot is kept for a rule when it opens a new bucket (day, ISO week, month, year) and the rule still has room.
 * keepYearly -1 keeps every yearly point. The newest snapshot is always kept. Pure: the time zone is a parameter.
 */
import { RempartError } from '../base/errors.js';
import type { RetentionPolicy } from '../api.js';

export interface Dated {
  id: string;
  time: string; // ISO 8601
}

export interface RetentionDecision {
  keep: string[];
  remove: string[];
  /** Why each kept snapshot is kept ("last", "daily", "weekly", "monthly", "yearly", "newest"). */
  reasons: Record<string, string[]>;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar date of an instant in `timeZone` (IANA name; undefined = the process's local zone). */
export function localDate(epochMs: number, timeZone?: string): LocalParts {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(key, f);
  }
  const parts = f.formatToParts(new Date(epochMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** ISO 8601 week ("2026-W48") of a calendar date. */
export function isoWeek({ year, month, day }: LocalParts): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  const dow = d.getUTCDay() || 7; // Monday = 1 … Sunday = 7
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the week's Thursday decides its year
  const weekYear = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

type Rule = 'daily' | 'weekly' | 'monthly' | 'yearly';

function bucket(rule: Rule, p: LocalParts): string {
  switch (rule) {
    case 'daily':
      return `${p.year}-${p.month}-${p.day}`;
    case 'weekly':
      return isoWeek(p);
    case 'monthly':
      return `${p.year}-${p.month}`;
    case 'yearly':
      return `${p.year}`;
  }
}

function hours(n: number | undefined): number {
  if (n === undefined || n === 0) return 0;
  if (!Number.isFinite(n) || n < 0) throw new RempartError('INVALID_INPUT', `retention hours must be a number ≥ 0, got ${n}`);
  return n;
}

function count(n: number | undefined): number {
  if (n === undefined) return 0;
  if (n === -1) return Infinity;
  if (!Number.isInteger(n) || n < 0) throw new RempartError('INVALID_INPUT', `retention count must be a whole number ≥ 0 (or -1), got ${n}`);
  return n;
}

/** Decides which snapshots a policy keeps. A policy that keeps nothing is refused (INVALID_INPUT). */
export function applyRetention(snapshots: Dated[], policy: RetentionPolicy, timeZone?: string): RetentionDecision {
  const rules: [Rule, number][] = [
    ['daily', count(policy.keepDaily)],
    ['weekly', count(policy.keepWeekly)],
    ['monthly', count(policy.keepMonthly)],
    ['yearly', count(policy.keepYearly)],
  ];
  let last = count(policy.keepLast);
  const withinMs = hours(policy.keepWithinHours) * 3_600_000;
  if (last === 0 && withinMs === 0 && rules.every(([, n]) => n === 0)) {
    throw new RempartError('INVALID_INPUT', 'retention policy keeps no snapshot; refusing to forget everything');
  }
  const sorted = [...snapshots].sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (a.id < b.id ? 1 : -1));
  const newest = sorted.length > 0 ? Date.parse(sorted[0].time) : 0;
  const lastBucket = new Map<Rule, string>();
  const remaining = new Map(rules);
  const reasons: Record<string, string[]> = {};
  const keep: string[] = [];
  const remove: string[] = [];
  sorted.forEach((s, i) => {
    const why: string[] = [];
    if (i === 0) why.push('newest');
    if (last > 0) {
      last--;
      why.push('last');
    }
    if (withinMs > 0 && newest - Date.parse(s.time) <= withinMs) why.push('within');
    const parts = localDate(Date.parse(s.time), timeZone);
    for (const [rule] of rules) {
      const b = bucket(rule, parts);
      if (lastBucket.get(rule) === b) continue;
      lastBucket.set(rule, b);
      const left = remaining.get(rule) ?? 0;
      if (left > 0) {
        remaining.set(rule, left - 1);
        why.push(rule);
      }
    }
    if (why.length > 0) {
      keep.push(s.id);
      reasons[s.id] = why;
    } else remove.push(s.id);
  });
  return { keep, remove, reasons };
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRempartError } from '../base/errors.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../api.js';
import { applyRetention, isoWeek, localDate, type Dated } from './retention.js';

const PARIS = 'Europe/Paris';

/** Paris wall-clock time → ISO UTC (test helper, computed with the same Intl machinery only for the offset). */
function paris(y: number, mo: number, d: number, h: number, mi = 0): string {
  // Try both candidate offsets (+1 h winter, +2 h summer) and keep the one that maps back to the wall time.
  for (const off of [1, 2]) {
    const t = Date.UTC(y, mo - 1, d, h - off, mi);
    const p = new Intl.DateTimeFormat('en-GB', { timeZone: PARIS, hour: '2-digit', hourCycle: 'h23', day: '2-digit' }).formatToParts(new Date(t));
    if (Number(p.find((x) => x.type === 'hour')?.value) === h && Number(p.find((x) => x.type === 'day')?.value) === d) return new Date(t).toISOString();
  }
  throw new Error('nonexistent local time');
}

function snaps(times: string[]): Dated[] {
  return times.map((time, i) => ({ id: `s${String(i).padStart(3, '0')}`, time }));
}

interface Case {
  name: string;
  times: string[];
  policy: RetentionPolicy;
  tz?: string;
  keep: number[]; // indexes into times
}

const daysOct = (h: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => paris(2026, 10, from + i, h));

const cases: Case[] = [
  { name: 'keepLast 3 keeps the 3 newest', times: daysOct(12, 1, 10), policy: { keepLast: 3 }, tz: PARIS, keep: [7, 8, 9] },
  {
    name: 'keepDaily 3 keeps the newest of each of the last 3 local days',
    times: [paris(2026, 10, 1, 9), paris(2026, 10, 1, 18), paris(2026, 10, 2, 9), paris(2026, 10, 2, 18), paris(2026, 10, 3, 9), paris(2026, 10, 4, 9)],
    policy: { keepDaily: 3 },
    tz: PARIS,
    keep: [3, 4, 5],
  },
  {
    // 00:30 Paris in summer is 22:30 UTC the day before: UTC days would pair the wrong snapshots.
    name: 'daily buckets follow Paris days across the end of summer time (25 Oct 2026)',
    times: [...daysOct(0, 22, 28).map((_, i) => [paris(2026, 10, 22 + i, 0, 30), paris(2026, 10, 22 + i, 23, 30)]).flat()],
    policy: { keepDaily: 5 },
    tz: PARIS,
    keep: [5, 7, 9, 11, 13],
  },
  {
    name: 'daily buckets across the start of summer time (29 Mar 2026)',
    times: [paris(2026, 3, 28, 0, 30), paris(2026, 3, 28, 23, 30), paris(2026, 3, 29, 0, 30), paris(2026, 3, 29, 3, 30), paris(2026, 3, 29, 23, 59), paris(2026, 3, 30, 0, 15)],
    policy: { keepDaily: 3 },
    tz: PARIS,
    keep: [1, 4, 5],
  },
  {
    // Sunday 29 Nov 2026 23:30 and Monday 30 Nov 00:30 Paris: different local ISO weeks, same UTC week.
    name: 'weekly buckets are local ISO weeks',
    times: [paris(2026, 11, 22, 12), paris(2026, 11, 29, 23, 30), paris(2026, 11, 30, 0, 30)],
    policy: { keepWeekly: 2 },
    tz: PARIS,
    keep: [1, 2],
  },
  {
    name: 'monthly keeps the last snapshot of each month; the newest is always kept',
    times: [paris(2026, 1, 10, 12), paris(2026, 1, 31, 23, 30), paris(2026, 2, 1, 0, 30), paris(2026, 2, 15, 12), paris(2026, 3, 2, 12)],
    policy: { keepMonthly: 2 },
    tz: PARIS,
    keep: [3, 4],
  },
  {
    name: 'keepYearly -1 keeps every yearly point; the New Year boundary is local',
    times: [paris(2023, 6, 1, 12), paris(2024, 12, 31, 23, 30), paris(2025, 1, 1, 0, 30), paris(2025, 7, 1, 12), paris(2026, 3, 1, 12)],
    policy: { keepYearly: -1 },
    tz: PARIS,
    keep: [0, 1, 3, 4],
  },
  {
    name: 'rules combine (union) and the same snapshot can satisfy several',
    times: daysOct(12, 1, 20),
    policy: { keepLast: 2, keepDaily: 3, keepWeekly: 3 },
    tz: PARIS,
    // Tue 20 Oct is newest. Last 2 days and 3 days: idx 17..19; weeks: 20 Oct, Sun 18 Oct, Sun 11 Oct (idx 10).
    keep: [10, 17, 18, 19],
  },
];

describe('retention', () => {
  for (const c of cases) {
    test(c.name, () => {
      const list = snaps(c.times);
      const d = applyRetention(list, c.policy, c.tz);
      assert.deepEqual([...d.keep].sort(), c.keep.map((i) => list[i].id).sort());
      assert.equal(d.keep.length + d.remove.length, list.length);
    });
  }

  test('order of input does not matter', () => {
    const list = snaps(daysOct(12, 1, 10));
    const a = applyRetention(list, { keepDaily: 4 }, PARIS);
    const b = applyRetention([...list].reverse(), { keepDaily: 4 }, PARIS);
    assert.deepEqual([...a.keep].sort(), [...b.keep].sort());
  });

  test('default policy over three years of daily snapshots: 14 days, 8 weeks, 24 months, every year', () => {
    const times: string[] = [];
    for (let t = Date.UTC(2024, 0, 1, 17); t <= Date.UTC(2026, 10, 24, 17); t += 86_400_000) times.push(new Date(t).toISOString());
    const list = snaps(times);
    const d = applyRetention(list, DEFAULT_RETENTION, PARIS);
    const kept = new Set(d.keep);
    for (let i = 1; i <= 14; i++) assert.ok(kept.has(list[list.length - i].id), `day -${i} kept`);
    const months = new Set(list.filter((s) => kept.has(s.id)).map((s) => s.time.slice(0, 7)));
    assert.ok(months.size >= 24);
    assert.ok(kept.has(list.find((s) => s.time.startsWith('2024-12-31'))!.id), 'last snapshot of 2024 kept (yearly)');
    assert.ok(kept.has(list.find((s) => s.time.startsWith('2025-12-31'))!.id), 'last snapshot of 2025 kept (yearly)');
    assert.ok(d.keep.length < 14 + 8 + 24 + 3 + 1);
    assert.ok(d.remove.length > 900);
  });

  test('keepWithinHours keeps every snapshot within those hours of the newest one, then the other rules apply', () => {
    // hourly runs from 9 h to 19 h over four days, the newest on 4 Oct at 19 h
    const times = [1, 2, 3, 4].flatMap((d) => Array.from({ length: 11 }, (_, h) => paris(2026, 10, d, 9 + h)));
    const s = snaps(times);
    const within = applyRetention(s, { keepWithinHours: 48, keepDaily: 14 }, PARIS);
    const newest = Date.parse(times[times.length - 1]);
    for (const x of s) {
      const age = newest - Date.parse(x.time);
      const kept = within.keep.includes(x.id);
      if (age <= 48 * 3_600_000) assert.ok(kept && within.reasons[x.id].includes('within'), `${x.time} (within 48 h) kept`);
    }
    // 2 Oct 19 h is 48 h before the newest: kept; days 1 and 2 otherwise keep only their last point (daily)
    assert.deepEqual(
      s.filter((x) => within.keep.includes(x.id) && newest - Date.parse(x.time) > 48 * 3_600_000).map((x) => x.time),
      [paris(2026, 10, 1, 19)],
    );
    // without it, one point a day
    assert.equal(applyRetention(s, { keepDaily: 14 }, PARIS).keep.length, 4);
    // alone, it is a valid policy; a negative value is refused
    assert.equal(applyRetention(s, { keepWithinHours: 1 }, PARIS).keep.length, 2);
    assert.throws(() => applyRetention(s, { keepWithinHours: -1 }, PARIS), (e) => isRempartError(e, 'INVALID_INPUT'));
  });

  test('a policy that keeps nothing is refused', () => {
    assert.throws(() => applyRetention(snaps(daysOct(12, 1, 3)), {}, PARIS), (e: unknown) => isRempartError(e, 'INVALID_INPUT'));
    assert.throws(() => applyRetention([], { keepDaily: -3 }), (e: unknown) => isRempartError(e, 'INVALID_INPUT'));
  });

  test('ISO weeks and local dates', () => {
    assert.equal(isoWeek({ year: 2026, month: 1, day: 1 }), '2026-W01');
    assert.equal(isoWeek({ year: 2027, month: 1, day: 1 }), '2026-W53');
    assert.equal(isoWeek({ year: 2024, month: 12, day: 30 }), '2025-W01');
    assert.deepEqual(localDate(Date.parse('2026-07-14T22:30:00Z'), PARIS), { year: 2026, month: 7, day: 15 });
    assert.deepEqual(localDate(Date.parse('2026-07-14T22:30:00Z'), 'UTC'), { year: 2026, month: 7, day: 14 });
  });
});

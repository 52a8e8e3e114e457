import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../engine/base/clock.js';
import { Scheduler } from './scheduler.js';
import { CronPlan } from './next-run.js';
import { scheduleToCron } from './cron-plan.js';
import { describeSchedule } from './describe.js';
import { localParts } from './zoned-time.js';

const PARIS = 'Europe/Paris';
const local = (t: number) => {
  const p = localParts(t, PARIS);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

async function firedBetween(expr: { kind: 'daily'; time: string; days: [] } | { kind: 'hourly'; from: number; to: number; minute: number; days: [] }, startIso: string, hours: number) {
  const clock = new FakeClock(new Date(startIso));
  const s = new Scheduler(clock, PARIS);
  const fired: string[] = [];
  s.set('cloud', expr, () => fired.push(local(clock.now())));
  await clock.advance(hours * 3_600_000);
  s.stop();
  return fired;
}

test('plain schedules become node-cron expressions; bad ones are refused', () => {
  assert.equal(scheduleToCron({ kind: 'daily', time: '19:30', days: [] }), '30 19 * * *');
  assert.equal(scheduleToCron({ kind: 'hourly', from: 9, to: 19, minute: 0, days: [1, 2, 3, 4, 5, 6] }), '0 9-19 * * 1,2,3,4,5,6');
  assert.equal(scheduleToCron({ kind: 'cron', expression: ' 0  */2 * * * ' }), '0 */2 * * *');
  assert.throws(() => scheduleToCron({ kind: 'cron', expression: '61 * * * *' }), /invalid cron/);
  assert.throws(() => scheduleToCron({ kind: 'cron', expression: '0 * * * * *' }), /5 fields/);
  assert.throws(() => scheduleToCron({ kind: 'daily', time: '25:00', days: [] }), /invalid time/);
});

test('daily 19:30 fires at 19:30 Paris time every day across the March DST change', async () => {
  const fired = await firedBetween({ kind: 'daily', time: '19:30', days: [] }, '2026-03-27T12:00:00Z', 24 * 4);
  assert.deepEqual(fired, ['2026-03-27 19:30', '2026-03-28 19:30', '2026-03-29 19:30', '2026-03-30 19:30']);
});

test('daily 19:30 fires at 19:30 Paris time across the October DST change', async () => {
  const fired = await firedBetween({ kind: 'daily', time: '19:30', days: [] }, '2026-10-23T12:00:00Z', 24 * 4);
  assert.deepEqual(fired, ['2026-10-23 19:30', '2026-10-24 19:30', '2026-10-25 19:30', '2026-10-26 19:30']);
});

test('a slot inside the spring-forward gap is not skipped (02:30 runs at 03:30)', async () => {
  const fired = await firedBetween({ kind: 'daily', time: '02:30', days: [] }, '2026-03-28T12:00:00Z', 48);
  assert.deepEqual(fired, ['2026-03-29 03:30', '2026-03-30 02:30']);
});

test('a slot in the repeated fall-back hour runs once', async () => {
  const fired = await firedBetween({ kind: 'daily', time: '02:30', days: [] }, '2026-10-24T12:00:00Z', 48);
  assert.deepEqual(fired, ['2026-10-25 02:30', '2026-10-26 02:30']);
});

test('hourly 0:00-23:00 runs once per local hour on DST days: 23 runs in March, 24 in October', async () => {
  const march = await firedBetween({ kind: 'hourly', from: 0, to: 23, minute: 0, days: [] }, '2026-03-28T23:00:00Z', 23);
  assert.equal(march.length, 23);
  assert.equal(new Set(march).size, 23);
  assert.ok(!march.some((x) => x.endsWith(' 02:00')));
  const october = await firedBetween({ kind: 'hourly', from: 0, to: 23, minute: 0, days: [] }, '2026-10-24T22:00:00Z', 25);
  assert.equal(october.length, 24, october.join('|'));
  assert.equal(october.filter((x) => x === '2026-10-25 02:00').length, 1);
});

test('hourly from 9 to 19 Monday to Saturday skips Sunday', async () => {
  // 2026-11-21 is a Saturday.
  const fired = await firedBetween({ kind: 'hourly', from: 9, to: 19, minute: 0, days: [1, 2, 3, 4, 5, 6] as never }, '2026-11-21T00:00:00Z', 72);
  assert.equal(fired.filter((x) => x.startsWith('2026-11-21')).length, 11);
  assert.equal(fired.filter((x) => x.startsWith('2026-11-22')).length, 0);
  assert.equal(fired.filter((x) => x.startsWith('2026-11-23')).length, 11);
});

test('a long sleep fires one run, not a burst; previous() finds the last missed slot', async () => {
  const clock = new FakeClock(new Date('2026-11-20T12:00:00Z'));
  const s = new Scheduler(clock, PARIS);
  let n = 0;
  s.set('usb', { kind: 'daily', time: '19:30', days: [] }, () => n++);
  const plan = new CronPlan('30 19 * * *', PARIS);
  assert.equal(local(plan.previous(Date.parse('2026-11-23T08:00:00Z'))!), '2026-11-22 19:30');
  assert.equal(local(s.nextRun('usb')!), '2026-11-20 19:30');
  s.stop();
  assert.equal(n, 0);
});

test('schedules are described in French and English', () => {
  assert.equal(describeSchedule('fr', { kind: 'daily', time: '19:30', days: [] }), 'tous les jours à 19 h 30');
  assert.equal(
    describeSchedule('fr', { kind: 'hourly', from: 9, to: 19, minute: 0, days: [1, 2, 3, 4, 5, 6] }),
    'toutes les heures de 9 h à 19 h, du lundi au samedi',
  );
  assert.equal(describeSchedule('fr', { kind: 'daily', time: '18:00', days: [1, 3] }), 'le lundi et mercredi à 18 h');
  assert.equal(describeSchedule('en', { kind: 'daily', time: '19:30', days: [] }), 'every day at 19:30');
});

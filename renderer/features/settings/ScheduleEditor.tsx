// @jsxRuntime automatic
/** Edits one copy's schedule in plain terms (daily at a time, hourly within hours, or advanced cron) with a live summary. */
import { useId } from 'react';
import type { Schedule, Weekday } from '../../../electron/contract/api.js';
import { useT } from '../../i18n/use-t.js';
import { scheduleProblem, scheduleSummary } from '../../lib/schedule-text.js';

const WEEK: Weekday[] = [1, 2, 3, 4, 5, 6, 0];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function ScheduleEditor({ value, onChange }: { value: Schedule; onChange: (s: Schedule) => void }) {
  const tr = useT();
  const id = useId();
  const problem = scheduleProblem(value);
  const hourLabel = (h: number) => (tr.lang === 'fr' ? `${h} h` : `${String(h).padStart(2, '0')}:00`);
  const switchTo = (kind: Schedule['kind']) => {
    if (kind === value.kind) return;
    const days = value.kind === 'cron' ? [] : value.days;
    if (kind === 'daily') onChange({ kind, time: '19:30', days });
    else if (kind === 'hourly') onChange({ kind, from: 9, to: 19, minute: 0, days: days.length ? days : [1, 2, 3, 4, 5, 6] });
    else onChange({ kind, expression: '30 19 * * *' });
  };
  const days = value.kind === 'cron' ? [] : value.days;
  const toggleDay = (d: Weekday, on: boolean) => {
    if (value.kind === 'cron') return;
    const current = days.length === 0 ? WEEK : days;
    const next = on ? [...current, d] : current.filter((x) => x !== d);
    onChange({ ...value, days: next.length === 7 ? [] : next });
  };

  return (
    <fieldset className="schedule">
      <legend>{tr.t('settings.schedule')}</legend>
      <div className="radio-row">
        {(['daily', 'hourly', 'cron'] as const).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name={`${id}-kind`} checked={value.kind === k} onChange={() => switchTo(k)} />
            {tr.t(`settings.schedule.${k}`)}
          </label>
        ))}
      </div>
      {value.kind === 'daily' && (
        <div className="field inline">
          <label htmlFor={`${id}-time`}>{tr.t('settings.schedule.time')}</label>
          <input id={`${id}-time`} type="time" value={value.time} onChange={(e) => onChange({ ...value, time: e.target.value })} />
        </div>
      )}
      {value.kind === 'hourly' && (
        <div className="field inline">
          <label htmlFor={`${id}-from`}>{tr.t('settings.schedule.from')}</label>
          <select id={`${id}-from`} value={value.from} onChange={(e) => onChange({ ...value, from: Number(e.target.value) })}>
            {HOURS.map((h) => <option key={h} value={h}>{hourLabel(h)}</option>)}
          </select>
          <label htmlFor={`${id}-to`}>{tr.t('settings.schedule.to')}</label>
          <select id={`${id}-to`} value={value.to} onChange={(e) => onChange({ ...value, to: Number(e.target.value) })}>
            {HOURS.map((h) => <option key={h} value={h}>{hourLabel(h)}</option>)}
          </select>
        </div>
      )}
      {value.kind !== 'cron' && (
        <fieldset className="days-row">
          <legend>{tr.t('settings.schedule.days')}</legend>
          {WEEK.map((d) => (
            <label key={d} className="day-toggle">
              <input type="checkbox" checked={days.length === 0 || days.includes(d)} onChange={(e) => toggleDay(d, e.target.checked)} />
              <span title={tr.t(`day.${d}`)}>{tr.t(`dayShort.${d}`)}</span>
            </label>
          ))}
        </fieldset>
      )}
      {value.kind === 'cron' && (
        <div className="field">
          <label htmlFor={`${id}-cron`}>{tr.t('settings.schedule.cronField')}</label>
          <input id={`${id}-cron`} value={value.expression} spellCheck={false} onChange={(e) => onChange({ ...value, expression: e.target.value })} />
        </div>
      )}
      <p className={problem ? 'field-error' : 'schedule-summary'} aria-live="polite">
        {problem ? tr.t(problem) : scheduleSummary(value, tr)}
      </p>
    </fieldset>
  );
}

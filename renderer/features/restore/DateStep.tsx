// @jsxRuntime automatic
/** Restore step 2: which date — restore points grouped by day, with the copies that hold each. */
import type { RestorePointDto } from '../../../electron/contract/api.js';
import { dayKey, formatBytes, formatDay, formatTime } from '../../../locales/index.js';
import { useT } from '../../i18n/use-t.js';
import { useClock } from '../history/clock.js';
import { useStore } from '../../store/index.js';

export function DateStep() {
  const tr = useT();
  const points = useStore((s) => s.restore.points) ?? [];
  const snapshotId = useStore((s) => s.restore.snapshotId);
  const restorePointChosen = useStore((s) => s.restorePointChosen);
  const { now, timeZone } = useClock();
  const days = new Map<string, RestorePointDto[]>();
  for (const p of points) {
    const key = dayKey(new Date(p.time), timeZone);
    days.set(key, [...(days.get(key) ?? []), p]);
  }
  return (
    <div className="step-body">
      <h2>{tr.t('restore.date.title')}</h2>
      <p className="lead">{tr.t('restore.date.help')}</p>
      {points.length === 0 && <p className="notice notice-info">{tr.t('restore.date.none')}</p>}
      <div className="days">
        {[...days.entries()].map(([key, list]) => (
          <fieldset key={key} className="day">
            <legend>{formatDay(list[0].time, now, tr.lang, timeZone)}</legend>
            {list.map((p) => (
              <label key={p.snapshotId} className={`choice compact ${snapshotId === p.snapshotId ? 'selected' : ''}`}>
                <input type="radio" name="restore-point" checked={snapshotId === p.snapshotId} onChange={() => restorePointChosen(p.snapshotId)} />
                <span className="choice-text">
                  <strong>
                    {tr.t('restore.date.point', { time: formatTime(p.time, tr.lang, timeZone), files: tr.tn('common.files', p.files), size: formatBytes(p.totalBytes, tr.lang) })}
                  </strong>
                  {p.copies.length > 0 && (
                    <span className="muted">
                      {tr.t('restore.date.onCopies', { copies: p.copies.map((c) => tr.t(c === 'usb' ? 'common.usbLower' : 'common.cloudLower')).join(', ') })}
                    </span>
                  )}
                </span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </div>
  );
}
